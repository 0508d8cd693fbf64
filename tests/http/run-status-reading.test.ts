import { RunOutputSchema } from '../../src/durable/wire/run-output';
import { RunStatusSchema } from '../../src/durable/wire/run-status';
import { readRunOutput, readRunStatus } from '../../src/http/run-status-reading';

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
});
