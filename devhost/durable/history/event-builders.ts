/**
 * Builders for history events, with the field sets and EventId rules DTFx uses: events that
 * schedule work (TaskScheduled, TimerCreated, ExecutionCompleted, ContinueAsNew) carry the id the
 * orchestration context allocated; every other event has `EventId: -1`.
 */
import { EventType, OrchestrationStatusCode } from './event-type';
import type { FailureDetailsJson, HistoryEventOf } from './history-event';

const unplayed = (timestamp: string) => ({ EventId: -1, IsPlayed: false, Timestamp: timestamp });

/** `OrchestratorStarted`: opens an episode; its timestamp is the episode's `currentUtcDateTime`. */
export function orchestratorStarted(timestamp: string): HistoryEventOf<typeof EventType.OrchestratorStarted> {
  return { EventType: EventType.OrchestratorStarted, ...unplayed(timestamp) };
}

/** `OrchestratorCompleted`: closes an episode. */
export function orchestratorCompleted(
  timestamp: string,
): HistoryEventOf<typeof EventType.OrchestratorCompleted> {
  return { EventType: EventType.OrchestratorCompleted, ...unplayed(timestamp) };
}

/** `ExecutionStarted` of one execution (generation) of an instance. */
export function executionStarted(options: {
  timestamp: string;
  instanceId: string;
  executionId: string;
  name: string;
  version: string | null;
  input: string | null;
  generation: number;
}): HistoryEventOf<typeof EventType.ExecutionStarted> {
  return {
    EventType: EventType.ExecutionStarted,
    ...unplayed(options.timestamp),
    OrchestrationInstance: { InstanceId: options.instanceId, ExecutionId: options.executionId },
    ParentInstance: null,
    Name: options.name,
    Version: options.version,
    Input: options.input,
    Tags: null,
    Correlation: null,
    ParentTraceContext: null,
    ScheduledStartTime: null,
    Generation: options.generation,
  };
}

/** `ExecutionCompleted` with the final status (Completed, Failed or Terminated) and result. */
export function executionCompleted(
  timestamp: string,
  eventId: number,
  status: (typeof OrchestrationStatusCode)['Completed' | 'Failed' | 'Terminated'],
  result: string | null,
): HistoryEventOf<typeof EventType.ExecutionCompleted> {
  return {
    EventType: EventType.ExecutionCompleted,
    EventId: eventId,
    IsPlayed: false,
    Timestamp: timestamp,
    OrchestrationStatus: status,
    Result: result,
    FailureDetails: null,
  };
}

/** `ContinueAsNew`: ends an execution; `Result` is the next execution's input. */
export function continueAsNew(
  timestamp: string,
  eventId: number,
  input: string | null,
): HistoryEventOf<typeof EventType.ContinueAsNew> {
  return {
    EventType: EventType.ContinueAsNew,
    EventId: eventId,
    IsPlayed: false,
    Timestamp: timestamp,
    OrchestrationStatus: OrchestrationStatusCode.ContinuedAsNew,
    Result: input,
    FailureDetails: null,
  };
}

/** `ExecutionTerminated` with the reason as `Input`. */
export function executionTerminated(
  timestamp: string,
  reason: string | null,
): HistoryEventOf<typeof EventType.ExecutionTerminated> {
  return { EventType: EventType.ExecutionTerminated, ...unplayed(timestamp), Input: reason };
}

/** `TaskScheduled` of an activity; `Input` is DTFx's one-element JSON array of parameters. */
export function taskScheduled(
  timestamp: string,
  eventId: number,
  name: string,
  input: string | null,
): HistoryEventOf<typeof EventType.TaskScheduled> {
  return {
    EventType: EventType.TaskScheduled,
    EventId: eventId,
    IsPlayed: false,
    Timestamp: timestamp,
    Name: name,
    Version: '',
    Input: input,
    Tags: null,
    ParentTraceContext: null,
  };
}

/** `TaskCompleted` for the task scheduled with `taskScheduledId`; `Result` is JSON text. */
export function taskCompleted(
  timestamp: string,
  taskScheduledId: number,
  result: string,
): HistoryEventOf<typeof EventType.TaskCompleted> {
  return {
    EventType: EventType.TaskCompleted,
    ...unplayed(timestamp),
    TaskScheduledId: taskScheduledId,
    Result: result,
  };
}

/**
 * `TaskFailed` for the task scheduled with `taskScheduledId`: legacy Reason/Details, or the
 * structured FailureDetails when the worker reported them.
 */
export function taskFailed(
  timestamp: string,
  taskScheduledId: number,
  reason: string,
  details: string | null,
  failureDetails: FailureDetailsJson | null = null,
): HistoryEventOf<typeof EventType.TaskFailed> {
  return {
    EventType: EventType.TaskFailed,
    ...unplayed(timestamp),
    TaskScheduledId: taskScheduledId,
    Reason: reason,
    Details: details,
    FailureDetails: failureDetails,
  };
}

/** `TimerCreated` with the timer's id and fire time. */
export function timerCreated(
  timestamp: string,
  eventId: number,
  fireAt: string,
): HistoryEventOf<typeof EventType.TimerCreated> {
  return {
    EventType: EventType.TimerCreated,
    EventId: eventId,
    IsPlayed: false,
    Timestamp: timestamp,
    FireAt: fireAt,
  };
}

/** `TimerFired` for the timer created with `timerId`. */
export function timerFired(
  timestamp: string,
  timerId: number,
  fireAt: string,
): HistoryEventOf<typeof EventType.TimerFired> {
  return { EventType: EventType.TimerFired, ...unplayed(timestamp), TimerId: timerId, FireAt: fireAt };
}

/** `EventRaised`: an external event; `Input` is the JSON text of its data (null for none). */
export function eventRaised(
  timestamp: string,
  name: string,
  input: string | null,
): HistoryEventOf<typeof EventType.EventRaised> {
  return { EventType: EventType.EventRaised, ...unplayed(timestamp), Name: name, Input: input };
}

/** `ExecutionSuspended` with its reason. */
export function executionSuspended(
  timestamp: string,
  reason: string | null,
): HistoryEventOf<typeof EventType.ExecutionSuspended> {
  return { EventType: EventType.ExecutionSuspended, ...unplayed(timestamp), Reason: reason };
}

/** `ExecutionResumed` with its reason. */
export function executionResumed(
  timestamp: string,
  reason: string | null,
): HistoryEventOf<typeof EventType.ExecutionResumed> {
  return { EventType: EventType.ExecutionResumed, ...unplayed(timestamp), Reason: reason };
}
