import type { WorkflowEvent } from '../../src/core/events';
import { readEvent, readEventLog, readRunStatus, readWorkflows } from '../../web/src/api-types';
import { UnexpectedResponseError } from '../../web/src/json-reader';

const at = '2025-01-01T00:00:00.000Z';

// Typed as the server's events, so a renamed field there fails to compile here.
const serverEvents: WorkflowEvent[] = [
  {
    type: 'started',
    seq: 1,
    timestamp: at,
    workflow: 'customer_support',
    version: 'v1',
    mode: 'human_in_loop',
    startAgent: 'coordinator_agent',
  },
  { type: 'executor_invoked', seq: 2, timestamp: at, executorId: 'coordinator_agent' },
  { type: 'handoff_sent', seq: 3, timestamp: at, source: 'coordinator_agent', target: 'refund_agent' },
  { type: 'agent_response', seq: 4, timestamp: at, agent: 'refund_agent', text: 'Which order?' },
  {
    type: 'request_info',
    seq: 5,
    timestamp: at,
    requestId: 'r1',
    agent: 'refund_agent',
    prompt: 'Which order?',
  },
  { type: 'user_message', seq: 6, timestamp: at, text: 'Order 7', requestId: 'r1' },
  { type: 'warning', seq: 7, timestamp: at, code: 'definition_changed', message: 'Redeployed.' },
  { type: 'error', seq: 8, timestamp: at, code: 'bad_request', message: 'The model refused.' },
  { type: 'status', seq: 9, timestamp: at, state: 'failed', stopReason: 'error' },
  { type: 'output', seq: 10, timestamp: at, conversation: [], stopReason: 'error' },
];

describe('readEvent', () => {
  it('reads every kind of event the server sends, keeping the fields the page shows', () => {
    expect(serverEvents.map((event) => readEvent(JSON.parse(JSON.stringify(event))))).toEqual([
      { type: 'started', seq: 1, workflow: 'customer_support', mode: 'human_in_loop' },
      { type: 'executor_invoked', seq: 2, executorId: 'coordinator_agent' },
      {
        type: 'handoff_sent',
        seq: 3,
        source: 'coordinator_agent',
        target: 'refund_agent',
        reason: undefined,
      },
      { type: 'agent_response', seq: 4, agent: 'refund_agent', text: 'Which order?' },
      { type: 'request_info', seq: 5, requestId: 'r1', agent: 'refund_agent', prompt: 'Which order?' },
      { type: 'user_message', seq: 6, text: 'Order 7', requestId: 'r1', synthetic: false },
      { type: 'warning', seq: 7, code: 'definition_changed', message: 'Redeployed.' },
      { type: 'error', seq: 8, code: 'bad_request', message: 'The model refused.' },
      { type: 'status', seq: 9, state: 'failed', stopReason: 'error' },
      { type: 'output', seq: 10, stopReason: 'error' },
    ]);
  });

  it('ignores event types the page does not know', () => {
    expect(readEvent({ type: 'superstep_started', seq: 3 })).toBeUndefined();
  });

  it.each([
    [
      { type: 'agent_response', seq: 4, agent: 'refund_agent' },
      "'agent_response' event: 'text' is not a string",
    ],
    [{ type: 'status', seq: 9, state: 'paused' }, "'state' is 'paused', not one of running, awaiting_input"],
    [{ type: 'started', seq: '1' }, "'seq' is not an integer"],
    ['not an object', 'run event: it is not a JSON object'],
  ])('rejects a malformed event %j, naming the field', (value, message) => {
    expect(() => readEvent(value)).toThrow(UnexpectedResponseError);
    expect(() => readEvent(value)).toThrow(message);
  });

  it('reads the JSON event log, leaving out unknown types', () => {
    expect(
      readEventLog({ events: [{ type: 'mystery', seq: 1 }, serverEvents[1]], state: 'running' }),
    ).toEqual([{ type: 'executor_invoked', seq: 2, executorId: 'coordinator_agent' }]);
  });
});

describe('readRunStatus', () => {
  it('reads the state, the open request and the error of a run', () => {
    expect(
      readRunStatus({
        runId: 'r',
        workflow: 'customer_support',
        state: 'failed',
        activeAgent: 'refund_agent',
        turn: 2,
        pendingRequest: null,
        conversation: [],
        stopReason: 'error',
        error: { code: 'bad_request', message: 'The model refused.' },
      }),
    ).toEqual({
      state: 'failed',
      activeAgent: 'refund_agent',
      pendingRequest: null,
      stopReason: 'error',
      error: { code: 'bad_request', message: 'The model refused.' },
    });
  });
});

describe('readWorkflows', () => {
  it('reads the name, description and start agent of each workflow', () => {
    expect(
      readWorkflows({
        workflows: [{ name: 'customer_support', startAgent: 'coordinator_agent', participants: [] }],
      }),
    ).toEqual([{ name: 'customer_support', description: undefined, startAgent: 'coordinator_agent' }]);
  });
});
