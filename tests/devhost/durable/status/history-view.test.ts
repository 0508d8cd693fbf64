import * as events from '../../../../devhost/durable/history/event-builders';
import { historyView } from '../../../../devhost/durable/status/history-view';

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:00:01Z';
const history = [
  events.orchestratorStarted(T0),
  events.executionStarted({
    timestamp: T0,
    instanceId: 'i',
    executionId: 'e',
    name: 'orch',
    version: null,
    input: '"in"',
    generation: 0,
  }),
  events.taskScheduled(T0, 0, 'sayHello', '["\\"Ada\\""]'),
  events.orchestratorCompleted(T0),
  events.orchestratorStarted(T1),
  events.taskCompleted(T1, 0, '"Hello Ada"'),
  events.executionCompleted(T1, 1, 1, '"Hello Ada"'),
  events.orchestratorCompleted(T1),
];

describe('historyView', () => {
  it('shows history like the extension: names for types, completions annotated, scheduling rows folded in', () => {
    expect(historyView(history, { showHistoryOutput: true, showInput: true })).toEqual([
      {
        EventType: 'ExecutionStarted',
        FunctionName: 'orch',
        Timestamp: T0,
        Input: '"in"',
        Correlation: null,
        ParentTraceContext: null,
        ScheduledStartTime: null,
        Generation: 0,
      },
      {
        EventType: 'TaskCompleted',
        Timestamp: T1,
        Result: 'Hello Ada',
        ScheduledTime: T0,
        FunctionName: 'sayHello',
        Input: '["\\"Ada\\""]',
      },
      {
        EventType: 'ExecutionCompleted',
        Timestamp: T1,
        OrchestrationStatus: 'Completed',
        Result: 'Hello Ada',
        FailureDetails: null,
      },
    ]);
  });

  it('leaves out results and inputs unless asked for', () => {
    const view = historyView(history, { showHistoryOutput: false, showInput: false });
    expect(view.some((e) => 'Result' in e || 'Input' in e)).toBe(false);
  });
});
