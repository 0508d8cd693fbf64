/**
 * Decides which inbox messages an episode takes, in arrival order and at most `limit` of them
 * (the Azure Storage provider's control-queue batch): stale completions (another execution, or a
 * task already completed) are dropped, a suspended instance keeps its messages until resumed,
 * and terminate/suspend/resume are handled as the DTFx dispatcher does.
 */
import { EventType } from '../history/event-type';
import type { HistoryEvent } from '../history/history-event';
import { isTerminal } from '../runtime-status';
import type { InboxMessage, InstanceRecord } from '../store/instance-store';

/** What an episode will do with the inbox. */
export type MessageSelection =
  | { kind: 'none'; consumed: string[]; remaining: boolean }
  | { kind: 'events'; events: HistoryEvent[]; consumed: string[]; remaining: boolean }
  | { kind: 'suspend'; event: HistoryEvent; consumed: string[]; remaining: boolean }
  | {
      kind: 'terminate';
      events: HistoryEvent[];
      reason: string | null;
      consumed: string[];
      remaining: boolean;
    };

function completionKey(event: HistoryEvent): string | undefined {
  if (event.EventType === EventType.TaskCompleted || event.EventType === EventType.TaskFailed) {
    return `task:${event.TaskScheduledId}`;
  }
  if (event.EventType === EventType.TimerFired) return `timer:${event.TimerId}`;
  return undefined;
}

/**
 * Most messages one episode may consume (taken or dropped), so its commit fits one Table
 * transaction (100 operations) with the instance row, the history chunk and new messages.
 */
export const MAX_CONSUMED_PER_EPISODE = 90;

/** Picks an episode's messages. */
export function selectMessages(
  record: InstanceRecord,
  history: readonly HistoryEvent[],
  inbox: readonly InboxMessage[],
  limit: number,
): MessageSelection {
  const consumed: string[] = [];
  if (isTerminal(record.runtimeStatus)) {
    const consumedAll = inbox.slice(0, MAX_CONSUMED_PER_EPISODE).map((m) => m.id);
    return { kind: 'none', consumed: consumedAll, remaining: inbox.length > consumedAll.length };
  }
  const completed = new Set(history.map(completionKey).filter((key): key is string => key !== undefined));
  const started = history.some((e) => e.EventType === EventType.ExecutionStarted);
  let suspended = record.runtimeStatus === 'Suspended';
  const held: InboxMessage[] = [];
  const events: HistoryEvent[] = [];
  let taken = 0;

  for (let i = 0; i < inbox.length; i++) {
    const message = inbox[i]!;
    const { event } = message;
    const remaining = i < inbox.length - 1;
    if (taken >= limit || consumed.length >= MAX_CONSUMED_PER_EPISODE) {
      return events.length > 0
        ? { kind: 'events', events, consumed, remaining: true }
        : { kind: 'none', consumed, remaining: true };
    }

    if (event.EventType === EventType.ExecutionTerminated) {
      consumed.push(message.id);
      return { kind: 'terminate', events, reason: event.Input, consumed, remaining };
    }
    if (event.EventType === EventType.ExecutionSuspended) {
      if (suspended || !started) {
        // Nothing to suspend yet (or already suspended): DTFx ignores it.
        consumed.push(message.id);
        continue;
      }
      if (events.length > 0) return { kind: 'events', events, consumed, remaining: true };
      consumed.push(message.id);
      return { kind: 'suspend', event, consumed, remaining };
    }
    if (event.EventType === EventType.ExecutionResumed) {
      consumed.push(message.id);
      if (!suspended) continue;
      suspended = false;
      events.push(event);
      // Messages held while suspended are delivered now, in their order.
      for (const heldMessage of held.splice(0)) {
        if (accept(heldMessage)) taken += 1;
      }
      continue;
    }
    if (suspended) {
      held.push(message);
      continue;
    }
    if (accept(message)) taken += 1;
  }
  if (events.length === 0) return { kind: 'none', consumed, remaining: false };
  return { kind: 'events', events, consumed, remaining: false };

  function accept(message: InboxMessage): boolean {
    consumed.push(message.id);
    const { event } = message;
    if (message.executionId !== undefined && message.executionId !== record.executionId) return false;
    if (event.EventType === EventType.ExecutionStarted) {
      if (started || events.some((e) => e.EventType === EventType.ExecutionStarted)) return false;
      events.push(event);
      return true;
    }
    const key = completionKey(event);
    if (key !== undefined) {
      // DTFx ignores a second completion of the same task or timer.
      if (completed.has(key)) return false;
      completed.add(key);
    }
    events.push(event);
    return true;
  }
}
