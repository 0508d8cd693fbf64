import { RunOutputSchema } from '../../src/durable/wire/run-output';
import { RunStatusSchema } from '../../src/durable/wire/run-status';
import { readRunOutput, readRunStatus } from '../../src/http/run-status-reading';
import { mulberry32, seedFromEnv } from '../support/prng';
import { equalAsJson, zodValue } from '../support/zod-values';

const status = {
  v: 1,
  workflow: 'support',
  state: 'running',
  activeAgent: 'coordinator',
  turn: 2,
  pendingRequest: null,
  lastSeq: 14,
  handoffs: 1,
  generation: 1,
  nonce: 'AbCdEfGhIjKlMnOpQrStUv',
  trace: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
};

const output = {
  runId: 'run-1',
  workflow: 'support',
  state: 'completed',
  stopReason: 'terminated_by_condition',
  turns: 2,
  usage: { coordinator: { promptTokens: 10, completionTokens: 5, totalTokens: 15, requests: 1 } },
};

/** Custom statuses the orchestrator writes and ones it does not: each reads as the schema reads it. */
const statuses: unknown[] = [
  status,
  { ...status, nonce: undefined, trace: undefined },
  (({ nonce: _n, trace: _t, ...rest }) => rest)(status),
  {
    ...status,
    state: 'awaiting_input',
    pendingRequest: { requestId: 'r1', agent: 'coordinator', prompt: 'Which order?' },
  },
  {
    ...status,
    state: 'awaiting_input',
    pendingRequest: {
      requestId: 'r1',
      agent: 'refund',
      prompt: 'Approve?',
      kind: 'tool_approval',
      tool: { callId: 'c1', name: 'refund', arguments: { amount: 5 } },
    },
  },
  { ...status, state: 'completed', stopReason: 'turn_limit' },
  { ...status, trace: { traceparent: status.trace.traceparent, tracestate: 'a=1' } },
  { ...status, trace: { traceparent: status.trace.traceparent, tracestate: 'x'.repeat(513) } },
  { ...status, trace: { traceparent: '01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } },
  { ...status, extra: 'dropped by the schema' },
  { ...status, v: 2 },
  { ...status, state: 'sleeping' },
  { ...status, stopReason: 'bored' },
  { ...status, turn: -1 },
  { ...status, turn: 1.5 },
  { ...status, turn: 2 ** 53 },
  { ...status, generation: 0 },
  { ...status, nonce: 'short' },
  { ...status, pendingRequest: { requestId: 'r1', agent: 'coordinator' } },
  { ...status, pendingRequest: { requestId: 'r1', agent: 'coordinator', prompt: 'Hi', more: 1 } },
  { ...status, workflow: 7 },
  JSON.parse('{"__proto__": {"x": 1}, "v": 1}'),
  null,
  'running',
  [status],
];

const outputs: unknown[] = [
  output,
  { ...output, state: 'failed', stopReason: 'error', error: { code: 'model_error', message: 'down' } },
  { ...output, usage: {} },
  { ...output, conversation: [{ role: 'user', text: 'kept by earlier builds' }] },
  { ...output, error: { code: 'x', message: 'y', detail: 'z' } },
  { ...output, error: { code: 'x' } },
  { ...output, usage: { a: { promptTokens: 1, completionTokens: 1, totalTokens: 2 } } },
  { ...output, usage: { a: { promptTokens: 1, completionTokens: 1, totalTokens: 2, requests: 1, cost: 3 } } },
  { ...output, usage: { a: { promptTokens: -1, completionTokens: 1, totalTokens: 2, requests: 1 } } },
  { ...output, usage: [] },
  { ...output, turns: '2' },
  { ...output, stopReason: undefined },
  null,
  42,
];

function schemaRead<T>(
  schema: { safeParse(value: unknown): { success: boolean; data?: T } },
  value: unknown,
) {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

describe('reading a run status', () => {
  it.each(statuses.map((value, index) => [index, value]))(
    'reads custom status %i as the schema does',
    (_i, value) => {
      expect(readRunStatus(value)).toStrictEqual(schemaRead(RunStatusSchema, value));
    },
  );

  it.each(outputs.map((value, index) => [index, value]))(
    'reads output %i as the schema does',
    (_i, value) => {
      expect(readRunOutput(value)).toStrictEqual(schemaRead(RunOutputSchema, value));
    },
  );

  it('reads the statuses and outputs the orchestrator writes', () => {
    expect(readRunStatus(status)).toEqual(status);
    expect(readRunOutput(output)).toEqual(output);
  });

  // Values generated from the schemas' definitions: a field added to a schema, or a check made
  // stricter, that the hand reader does not follow makes the two differ here.
  const patternSamples = [
    'AbCdEfGhIjKlMnOpQrStUv',
    'a1_-a1_-a1_-a1_-a1_-a1',
    'AbCdEfGhIjKlMnOpQrStU',
    'AbCdEfGhIjKlMnOpQrStUvW',
    'AbCdEfGhIjKlMnOpQrSt+/',
    status.trace.traceparent,
    '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-ff',
    '01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    '00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01',
    '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331',
  ];
  it.each([
    ['custom statuses', RunStatusSchema, readRunStatus],
    ['outputs', RunOutputSchema, readRunOutput],
  ] as const)('reads 3000 %s generated from the schema as the schema does', (_what, schema, read) => {
    const random = mulberry32(seedFromEnv('RUN_STATUS_READING_SEED', 20261205));
    let accepted = 0;
    for (let n = 0; n < 3000; n += 1) {
      const value = zodValue(schema, random, {
        breakChance: 0.01,
        extraKeyChance: 0.1,
        maxDepth: 3,
        patternSamples,
      });
      const expected = schemaRead<unknown>(schema, value);
      const actual = read(value);
      if (expected !== undefined) accepted += 1;
      if ((actual === undefined) !== (expected === undefined) || !equalAsJson(actual, expected)) {
        // Report the one value that differs (and the seed to replay it), not 3000 assertions.
        expect({ seed: random.seed, n, value, actual: actual ?? 'rejected' }).toEqual({
          seed: random.seed,
          n,
          value,
          actual: expected ?? 'rejected',
        });
      }
    }
    // Both sides of the check are exercised: many values fit, a good share do not.
    expect(accepted).toBeGreaterThan(300);
    expect(accepted).toBeLessThan(2900);
  });
});
