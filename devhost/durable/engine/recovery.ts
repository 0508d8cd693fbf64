/**
 * Recovery after a (re)start: every unfinished instance gets its pending messages processed,
 * activities scheduled but not completed run again (at least once, like Azure), and timers not
 * fired are armed again (overdue ones fire at once).
 */
import type { LogSink } from '../../log';
import { EventType } from '../history/event-type';
import type { HistoryEvent } from '../history/history-event';
import { isTerminal } from '../runtime-status';
import type { InstanceStore } from '../store/instance-store';
import type { TaskWork, TimerWork } from './episode-runner';
import { taskMessageId, timerMessageId } from './inbox-messages';

/** Activities and timers of an execution that history shows as scheduled and not finished. */
export function openWork(
  history: readonly HistoryEvent[],
  executionId: string,
  inboxIds: ReadonlySet<string>,
): { tasks: TaskWork[]; timers: TimerWork[] } {
  const done = new Set<string>();
  for (const event of history) {
    if (event.EventType === EventType.TaskCompleted || event.EventType === EventType.TaskFailed) {
      done.add(taskMessageId(executionId, event.TaskScheduledId));
    } else if (event.EventType === EventType.TimerFired) {
      done.add(timerMessageId(executionId, event.TimerId));
    }
  }
  const tasks: TaskWork[] = [];
  const timers: TimerWork[] = [];
  for (const event of history) {
    if (event.EventType === EventType.TaskScheduled) {
      const id = taskMessageId(executionId, event.EventId);
      if (!done.has(id) && !inboxIds.has(id))
        tasks.push({ taskId: event.EventId, name: event.Name, input: event.Input });
    } else if (event.EventType === EventType.TimerCreated) {
      const id = timerMessageId(executionId, event.EventId);
      if (!done.has(id) && !inboxIds.has(id)) timers.push({ timerId: event.EventId, fireAt: event.FireAt });
    }
  }
  return { tasks, timers };
}

/** What recovery needs. */
export interface RecoveryDeps {
  store: InstanceStore;
  log: LogSink;
  requestEpisode(instanceId: string): void;
  dispatch(instanceId: string, executionId: string, tasks: TaskWork[], timers: TimerWork[]): void;
}

/** Resumes every unfinished instance of the store. */
export async function recover(deps: RecoveryDeps): Promise<void> {
  const records = await deps.store.listInstances();
  let resumed = 0;
  for (const record of records) {
    if (isTerminal(record.runtimeStatus)) continue;
    const inbox = await deps.store.readInbox(record.instanceId);
    const history = await deps.store.readHistory(record.instanceId, record.executionId);
    const { tasks, timers } = openWork(history, record.executionId, new Set(inbox.map((m) => m.id)));
    if (tasks.length > 0 || timers.length > 0)
      deps.dispatch(record.instanceId, record.executionId, tasks, timers);
    if (inbox.length > 0) deps.requestEpisode(record.instanceId);
    resumed += 1;
  }
  if (resumed > 0) {
    deps.log({
      level: 'information',
      category: 'system',
      message: `Durable engine: resumed ${resumed} unfinished instance(s) from ${deps.store.kind} storage.`,
    });
  }
}
