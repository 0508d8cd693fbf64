/**
 * Inbox messages and their ids. Ids of completions and timers are derived from the execution and
 * the task's EventId, so storing one twice (a re-run activity, a re-armed timer) is a no-op.
 */
import { randomUUID } from 'node:crypto';
import {
  eventRaised,
  executionResumed,
  executionStarted,
  executionSuspended,
  executionTerminated,
  taskCompleted,
  taskFailed,
  timerFired,
} from '../history/event-builders';
import type { FailureDetailsJson } from '../history/history-event';
import type { InboxMessage, InstanceRecord } from '../store/instance-store';
import { nextMessageSeq } from '../store/message-seq';

/** The message that starts the record's current execution. */
export function startMessage(record: InstanceRecord, timestamp: string): InboxMessage {
  return {
    id: `start~${record.executionId}`,
    seq: nextMessageSeq(),
    executionId: record.executionId,
    event: executionStarted({
      timestamp,
      instanceId: record.instanceId,
      executionId: record.executionId,
      name: record.name,
      // DTFx stores the extension's DefaultVersion "" when no version was given.
      version: record.version ?? '',
      input: record.input,
      generation: record.generation,
    }),
  };
}

/** An external event; `input` is the JSON text of its data or null. */
export function eventMessage(timestamp: string, name: string, input: string | null): InboxMessage {
  return { id: `event~${randomUUID()}`, seq: nextMessageSeq(), event: eventRaised(timestamp, name, input) };
}

/** The id of the completion message of task `taskId` of an execution. */
export function taskMessageId(executionId: string, taskId: number): string {
  return `task~${executionId}~${taskId}`;
}

/** The id of the fired message of timer `timerId` of an execution. */
export function timerMessageId(executionId: string, timerId: number): string {
  return `timer~${executionId}~${timerId}`;
}

/** An activity result. */
export function taskCompletedMessage(
  timestamp: string,
  executionId: string,
  taskId: number,
  result: string,
): InboxMessage {
  return {
    id: taskMessageId(executionId, taskId),
    seq: nextMessageSeq(),
    executionId,
    event: taskCompleted(timestamp, taskId, result),
  };
}

/** An activity failure. */
export function taskFailedMessage(
  timestamp: string,
  executionId: string,
  taskId: number,
  reason: string,
  details: string | null,
  failureDetails: FailureDetailsJson | null = null,
): InboxMessage {
  return {
    id: taskMessageId(executionId, taskId),
    seq: nextMessageSeq(),
    executionId,
    event: taskFailed(timestamp, taskId, reason, details, failureDetails),
  };
}

/** A durable timer that fired. */
export function timerFiredMessage(
  timestamp: string,
  executionId: string,
  timerId: number,
  fireAt: string,
): InboxMessage {
  return {
    id: timerMessageId(executionId, timerId),
    seq: nextMessageSeq(),
    executionId,
    event: timerFired(timestamp, timerId, fireAt),
  };
}

/** Terminate, suspend or resume, with a reason. */
export function controlMessage(
  kind: 'terminate' | 'suspend' | 'resume',
  timestamp: string,
  reason: string | null,
): InboxMessage {
  const event =
    kind === 'terminate'
      ? executionTerminated(timestamp, reason)
      : kind === 'suspend'
        ? executionSuspended(timestamp, reason)
        : executionResumed(timestamp, reason);
  return { id: `${kind}~${randomUUID()}`, seq: nextMessageSeq(), event };
}
