import fs from 'node:fs';
import path from 'node:path';
import { agentTurnActivity } from '../../../src/durable/wire/agent-turn-activity';
import { readAgentTurnInput, tryReadAgentTurnInput } from '../../../src/durable/wire/agent-turn-input-reader';

/** Every agent-turn input the recorded histories scheduled (this build's and earlier builds'). */
function recordedInputs(): unknown[] {
  const inputs: unknown[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
    } else if (typeof node === 'object' && node !== null) {
      const record = node as Record<string, unknown>;
      if (record.Name === 'handoffAgentTurn' && typeof record.Input === 'string') {
        // DTFx records an activity's input as the list of its arguments: the one input.
        const args = JSON.parse(record.Input) as unknown;
        inputs.push(Array.isArray(args) ? args[0] : args);
      }
      for (const value of Object.values(record)) visit(value);
    }
  };
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.json')) visit(JSON.parse(fs.readFileSync(file, 'utf8')));
    }
  };
  walk(path.join(__dirname, '../../fixtures/histories'));
  return inputs;
}

const plain = {
  schemaVersion: 2,
  runId: 'run-1',
  nonce: 'AAAAAAAAAAAAAAAAAAAAAA',
  workflow: 'customer_support',
  version: 'v1',
  agent: 'coordinator_agent',
  turn: 1,
  knownMessages: 0,
  events: [
    { seq: 1, timestamp: 't', type: 'executor_invoked', executorId: 'input-conversation' },
    { seq: 2, timestamp: 't', type: 'user_message', text: 'hello' },
  ],
  handledReplyIds: [],
  checkTerminationFirst: true,
  toolCallFiltering: 'handoff_only',
  firstSeq: 3,
  wantsPrompt: false,
};

describe('reading the agent-turn input', () => {
  it('reads every input the recorded histories scheduled as the schema does, most of them without it', () => {
    const inputs = recordedInputs();
    expect(inputs.length).toBeGreaterThan(20);
    let unchanged = 0;
    for (const raw of inputs) {
      const read = readAgentTurnInput(raw);
      expect(read).toEqual(agentTurnActivity.input.parse(raw));
      if (read === raw) unchanged += 1;
    }
    // The usual shape is read by hand (the input itself comes back); earlier builds' go through the schema.
    expect(unchanged).toBeGreaterThan(inputs.length / 2);
  });

  it('reads the usual shape as it is', () => {
    expect(readAgentTurnInput(plain)).toBe(plain);
    expect(readAgentTurnInput(plain)).toEqual(agentTurnActivity.input.parse(plain));
  });

  it.each([
    ['a property the schema does not name (which it strips)', { ...plain, extra: 1 }],
    ['an event property the schema does not name', { ...plain, events: [{ ...plain.events[0], note: 'x' }] }],
    [
      'an event type the reader leaves to the schema',
      {
        ...plain,
        events: [
          {
            seq: 1,
            timestamp: 't',
            type: 'warning',
            code: 'c',
            message: 'm',
            retry: { attempt: 2, of: 5, inMs: 2000 },
          },
        ],
      },
    ],
    ['a retry', { ...plain, retry: { attempt: 2, recordsAt: 3 } }],
  ])('leaves %s to the schema, with the same result', (_name, raw) => {
    const read = readAgentTurnInput(raw);
    expect(read).not.toBe(raw);
    expect(read).toEqual(agentTurnActivity.input.parse(raw));
  });

  it.each([
    ['a turn of 0', { ...plain, turn: 0 }],
    ['a fractional seq', { ...plain, events: [{ ...plain.events[0], seq: 1.5 }] }],
    ['a user message without text', { ...plain, events: [{ seq: 2, timestamp: 't', type: 'user_message' }] }],
    ['a bad nonce', { ...plain, nonce: 'short' }],
    ['an unknown tool-call filtering', { ...plain, toolCallFiltering: 'some' }],
    ['an empty run id', { ...plain, runId: '' }],
    ['a bad trace', { ...plain, trace: { traceparent: 'nope' } }],
    [
      'an event type named after an object property',
      { ...plain, events: [{ seq: 1, timestamp: 't', type: 'constructor' }] },
    ],
  ])('refuses %s as the schema does', (_name, raw) => {
    expect(agentTurnActivity.input.safeParse(raw).success).toBe(false);
    expect(() => readAgentTurnInput(raw)).toThrow();
    expect(tryReadAgentTurnInput(raw)).toBeUndefined();
  });
});
