import * as events from '../../../../../devhost/durable/history/event-builders';
import type { HistoryEvent } from '../../../../../devhost/durable/history/history-event';
import type {
  OrchestratorAction,
  OrchestratorState,
} from '../../../../../devhost/durable/replay/orchestrator-state';
import { replayShim, type ShimReplay } from '../../../../../devhost/durable/replay/shim/replay-shim';

const T0 = '2026-01-01T00:00:00Z';
const at = (ms: number): string => new Date(Date.parse(T0) + ms).toISOString();
const DAY = 24 * 60 * 60 * 1000;

const start = (): HistoryEvent[] => [
  events.orchestratorStarted(T0),
  events.executionStarted({
    timestamp: T0,
    instanceId: 'i',
    executionId: 'e',
    name: 'orch',
    version: null,
    input: null,
    generation: 0,
  }),
];
const activity = (name: string): OrchestratorAction => ({ actionType: 0, functionName: name, input: '"x"' });
const timer = (fireAt: string, isCanceled = false): OrchestratorAction => ({
  actionType: 5,
  fireAt,
  isCanceled,
});
const state = (actions: OrchestratorAction[], extra: Partial<OrchestratorState> = {}): OrchestratorState => ({
  isDone: false,
  actions: [actions],
  schemaVersion: 3,
  ...extra,
});

function replay(history: HistoryEvent[], result: OrchestratorState): ShimReplay {
  return replayShim({
    orchestratorName: 'orch',
    history,
    result: { kind: 'state', state: result },
    knownActivities: ['a', 'b', 'c'],
    maxOrchestrationActions: 100_000,
  });
}

describe('replayShim', () => {
  it('numbers the children of a Task.all in order and schedules them together', () => {
    const result = replay(
      start(),
      state([{ actionType: 12, compoundActions: [activity('a'), activity('b')] }]),
    );
    expect(result.newActions).toEqual([
      { kind: 'task', id: 0, name: 'a', input: '["\\"x\\""]' },
      { kind: 'task', id: 1, name: 'b', input: '["\\"x\\""]' },
    ]);
    expect(result.outcome).toEqual({ kind: 'running' });
  });

  it('schedules an action only once every earlier top-level action has finished, as the extension awaits each', () => {
    const history = [
      ...start(),
      events.taskScheduled(T0, 0, 'a', null),
      events.taskScheduled(T0, 1, 'b', null),
      events.orchestratorCompleted(T0),
      events.orchestratorStarted(at(1)),
      events.taskFailed(at(1), 0, 'boom', '{}'),
    ];
    const actions = [
      { actionType: 12 as const, compoundActions: [activity('a'), activity('b')] },
      activity('c'),
    ];
    expect(replay(history, state(actions)).newActions).toEqual([]);
    const later = [
      ...history,
      events.orchestratorCompleted(at(1)),
      events.orchestratorStarted(at(2)),
      events.taskCompleted(at(2), 1, '1'),
    ];
    expect(replay(later, state(actions)).newActions).toEqual([
      { kind: 'task', id: 2, name: 'c', input: '["\\"x\\""]' },
    ]);
  });

  it('applies the error of the state only after the awaited actions have settled', () => {
    const history = [
      ...start(),
      events.taskScheduled(T0, 0, 'a', null),
      events.taskScheduled(T0, 1, 'b', null),
      events.orchestratorCompleted(T0),
      events.orchestratorStarted(at(1)),
      events.taskFailed(at(1), 0, 'boom', '{}'),
    ];
    const failing = state([{ actionType: 12, compoundActions: [activity('a'), activity('b')] }], {
      error: 'a failed',
    });
    expect(replay(history, failing).outcome).toEqual({ kind: 'running' });
    const later = [
      ...history,
      events.orchestratorCompleted(at(1)),
      events.orchestratorStarted(at(2)),
      events.taskCompleted(at(2), 1, '1'),
    ];
    expect(replay(later, failing)).toMatchObject({
      outcome: {
        kind: 'failed',
        reason: "Orchestrator function 'orch' failed: a failed",
        nonDeterministic: false,
      },
      completionEventId: 2,
    });
  });

  it('keeps an instance running while an uncancelled timer is open, even when the orchestrator returned', () => {
    const history = [
      ...start(),
      events.taskScheduled(T0, 0, 'a', null),
      events.timerCreated(T0, 1, at(DAY)),
      events.orchestratorCompleted(T0),
      events.orchestratorStarted(at(1)),
      events.taskCompleted(at(1), 0, '"done"'),
    ];
    const done = state([{ actionType: 11, compoundActions: [activity('a'), timer(at(DAY))] }], {
      isDone: true,
      output: 'done',
    });
    expect(replay(history, done).outcome).toEqual({ kind: 'running' });
    const fired = [
      ...history,
      events.orchestratorCompleted(at(1)),
      events.orchestratorStarted(at(DAY)),
      events.timerFired(at(DAY), 1, at(DAY)),
    ];
    expect(replay(fired, done)).toMatchObject({
      outcome: { kind: 'completed', output: '"done"' },
      completionEventId: 2,
    });
  });

  it('completes at once when the losing timer was cancelled', () => {
    const history = [
      ...start(),
      events.timerCreated(T0, 0, at(DAY)),
      events.orchestratorCompleted(T0),
      events.orchestratorStarted(at(1)),
      events.eventRaised(at(1), 'approve', '"yes"'),
    ];
    const done = state(
      [
        {
          actionType: 11,
          compoundActions: [{ actionType: 6, externalEventName: 'approve' }, timer(at(DAY), true)],
        },
      ],
      {
        isDone: true,
        output: 'yes',
      },
    );
    expect(replay(history, done)).toMatchObject({
      outcome: { kind: 'completed', output: '"yes"' },
      newActions: [],
    });
  });

  it('numbers retry attempts and timers like DTFx, ending with an immediate dummy timer', () => {
    const retry: OrchestratorAction = {
      actionType: 1,
      functionName: 'a',
      retryOptions: { firstRetryIntervalInMilliseconds: 1000, maxNumberOfAttempts: 2, backoffCoefficient: 2 },
      input: 1,
    };
    const first = replay(start(), state([retry]));
    expect(first.newActions).toEqual([{ kind: 'task', id: 0, name: 'a', input: '[1]' }]);
    const failedOnce = [
      ...start(),
      events.taskScheduled(T0, 0, 'a', '[1]'),
      events.orchestratorCompleted(T0),
      events.orchestratorStarted(at(10)),
      events.taskFailed(at(10), 0, 'r', 'd'),
    ];
    expect(replay(failedOnce, state([retry])).newActions).toEqual([
      { kind: 'timer', id: 1, fireAt: '2026-01-01T00:00:01.01Z' },
    ]);
    const failedTwice = [
      ...failedOnce,
      events.timerCreated(at(10), 1, at(1010)),
      events.orchestratorCompleted(at(10)),
      events.orchestratorStarted(at(1010)),
      events.timerFired(at(1010), 1, at(1010)),
      events.taskScheduled(at(1010), 2, 'a', '[1]'),
      events.orchestratorCompleted(at(1010)),
      events.orchestratorStarted(at(2000)),
      events.taskFailed(at(2000), 2, 'r', 'd'),
    ];
    expect(replay(failedTwice, state([retry])).newActions).toEqual([
      { kind: 'timer', id: 3, fireAt: '2026-01-01T00:00:02Z' },
    ]);
  });

  it('splits a timer longer than six days into three-day pieces and a last one', () => {
    const long = state([timer(at(7 * DAY))]);
    expect(replay(start(), long).newActions).toEqual([
      { kind: 'timer', id: 0, fireAt: '2026-01-04T00:00:00Z' },
    ]);
    const afterFirst = [
      ...start(),
      events.timerCreated(T0, 0, at(3 * DAY)),
      events.orchestratorCompleted(T0),
      events.orchestratorStarted(at(3 * DAY)),
      events.timerFired(at(3 * DAY), 0, at(3 * DAY)),
    ];
    expect(replay(afterFirst, long).newActions).toEqual([
      { kind: 'timer', id: 1, fireAt: '2026-01-07T00:00:00Z' },
    ]);
    const afterSecond = [
      ...afterFirst,
      events.timerCreated(at(3 * DAY), 1, at(6 * DAY)),
      events.orchestratorCompleted(at(3 * DAY)),
      events.orchestratorStarted(at(6 * DAY)),
      events.timerFired(at(6 * DAY), 1, at(6 * DAY)),
    ];
    expect(replay(afterSecond, long).newActions).toEqual([
      { kind: 'timer', id: 2, fireAt: '2026-01-08T00:00:00Z' },
    ]);
  });

  it('reports a timer replaced by an activity with the DTFx non-determinism message', () => {
    const history = [
      ...start(),
      events.timerCreated(T0, 0, at(DAY)),
      events.orchestratorCompleted(T0),
      events.orchestratorStarted(at(1)),
    ];
    expect(replay(history, state([activity('a')])).outcome).toEqual({
      kind: 'failed',
      nonDeterministic: true,
      reason:
        'Non-Deterministic workflow detected: A previous execution of this orchestration scheduled a timer task with ' +
        'sequence number 0 named but the current orchestration replay instead produced a ScheduleTaskOrchestratorAction ' +
        'action with this sequence number. Was a change made to the orchestrator code after this instance had already started running?',
    });
  });

  it('reports an activity the replay no longer schedules', () => {
    const history = [
      ...start(),
      events.taskScheduled(T0, 0, 'a', null),
      events.orchestratorCompleted(T0),
      events.orchestratorStarted(at(1)),
    ];
    expect(replay(history, state([])).outcome).toMatchObject({
      kind: 'failed',
      reason: expect.stringContaining(
        "scheduled an activity task with sequence ID 0 and name 'a' (version ''), but the current replay execution hasn't (yet?) scheduled this task.",
      ),
    });
  });

  it('continues as new with the JSON of the next input and keeps the custom status', () => {
    const result = replay(
      start(),
      state([{ actionType: 4, input: { n: 2 } }], { isDone: true, customStatus: { step: 3 } }),
    );
    expect(result).toMatchObject({
      outcome: { kind: 'continuedAsNew', input: '{"n":2}' },
      completionEventId: 0,
      customStatus: '{"step":3}',
    });
  });

  it('fails an orchestration that uses an entity action the local host does not emulate, naming it', () => {
    const result = replay(start(), state([{ actionType: 7, instanceId: '@counter@a', operation: 'add' }]));
    expect(result.outcome).toMatchObject({
      kind: 'failed',
      reason: expect.stringContaining('does not emulate callEntity (actionType 7)'),
    });
  });

  it('schedules a sub-orchestration or durable HTTP call as a task that fails, so the orchestrator can catch it', () => {
    const result = replay(
      start(),
      state([
        {
          actionType: 12,
          compoundActions: [
            { actionType: 2, functionName: 'child' },
            { actionType: 8, httpRequest: { method: 'GET', uri: 'http://x' } },
          ],
        },
      ]),
    );
    expect(result.outcome).toEqual({ kind: 'running' });
    expect(result.newActions).toEqual([
      { kind: 'task', id: 0, name: 'DevHost::SubOrchestrator::child', input: '[null]' },
      { kind: 'task', id: 1, name: 'BuiltIn::HttpActivity', input: '[null]' },
    ]);
  });

  it('ignores a second completion of the same task, as DTFx does', () => {
    const history = [
      ...start(),
      events.taskScheduled(T0, 0, 'a', null),
      events.orchestratorCompleted(T0),
      events.orchestratorStarted(at(1)),
      events.taskCompleted(at(1), 0, '1'),
      events.taskCompleted(at(1), 0, '1'),
    ];
    expect(replay(history, state([activity('a'), activity('b')])).newActions).toEqual([
      { kind: 'task', id: 1, name: 'b', input: '["\\"x\\""]' },
    ]);
  });
});
