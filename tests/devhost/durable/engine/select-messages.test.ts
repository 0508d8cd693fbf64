import * as events from '../../../../devhost/durable/history/event-builders';
import { selectMessages } from '../../../../devhost/durable/engine/select-messages';
import type { InboxMessage, InstanceRecord } from '../../../../devhost/durable/store/instance-store';

const T = '2026-01-01T00:00:00Z';
const record = (runtimeStatus: InstanceRecord['runtimeStatus']): InstanceRecord => ({
  instanceId: 'i',
  name: 'orch',
  version: null,
  executionId: 'current',
  generation: 0,
  runtimeStatus,
  input: null,
  output: null,
  customStatus: null,
  createdTime: T,
  lastUpdatedTime: T,
  lastEventTime: T,
  episodes: 1,
});
const started = [
  events.orchestratorStarted(T),
  events.executionStarted({
    timestamp: T,
    instanceId: 'i',
    executionId: 'current',
    name: 'orch',
    version: null,
    input: null,
    generation: 0,
  }),
  events.taskScheduled(T, 0, 'a', null),
  events.orchestratorCompleted(T),
];
let seq = 0;
const message = (id: string, event: InboxMessage['event'], executionId?: string): InboxMessage => ({
  id,
  seq: String(seq++).padStart(4, '0'),
  event,
  ...(executionId === undefined ? {} : { executionId }),
});

describe('selectMessages', () => {
  it('drops completions of another execution and second completions of the same task', () => {
    const inbox = [
      message('old', events.taskCompleted(T, 0, '1'), 'previous'),
      message('first', events.taskCompleted(T, 0, '1'), 'current'),
      message('again', events.taskCompleted(T, 0, '2'), 'current'),
    ];
    const selection = selectMessages(record('Running'), started, inbox, 32);
    expect(selection).toEqual({
      kind: 'events',
      events: [inbox[1]!.event],
      consumed: ['old', 'first', 'again'],
      remaining: false,
    });
  });

  it('holds messages while suspended and delivers them after ExecutionResumed on resume', () => {
    const held = message('event', events.eventRaised(T, 'approve', '1'));
    expect(selectMessages(record('Suspended'), started, [held], 32)).toEqual({
      kind: 'none',
      consumed: [],
      remaining: false,
    });
    const resume = message('resume', events.executionResumed(T, 'go'));
    expect(selectMessages(record('Suspended'), started, [held, resume], 32)).toMatchObject({
      kind: 'events',
      events: [resume.event, held.event],
      consumed: ['resume', 'event'],
    });
  });

  it('takes at most the batch size and says more remain', () => {
    const inbox = [1, 2, 3].map((n) => message(`e${n}`, events.eventRaised(T, 'x', String(n))));
    expect(selectMessages(record('Running'), started, inbox, 2)).toMatchObject({
      kind: 'events',
      consumed: ['e1', 'e2'],
      remaining: true,
    });
  });

  it('terminates with the events that came before the terminate message', () => {
    const inbox = [
      message('e1', events.eventRaised(T, 'x', '1')),
      message('stop', events.executionTerminated(T, 'enough')),
      message('e2', events.eventRaised(T, 'x', '2')),
    ];
    expect(selectMessages(record('Running'), started, inbox, 32)).toMatchObject({
      kind: 'terminate',
      reason: 'enough',
      consumed: ['e1', 'stop'],
      remaining: true,
    });
  });

  it('consumes every message of a finished instance without delivering any', () => {
    const inbox = [message('late', events.taskCompleted(T, 0, '1'), 'current')];
    expect(selectMessages(record('Completed'), started, inbox, 32)).toEqual({
      kind: 'none',
      consumed: ['late'],
      remaining: false,
    });
  });
});
