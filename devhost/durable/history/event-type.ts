/**
 * DTFx `EventType` values (the same numbers as durable-functions' `HistoryEventType`).
 */
export const EventType = {
  ExecutionStarted: 0,
  ExecutionCompleted: 1,
  ExecutionFailed: 2,
  ExecutionTerminated: 3,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  SubOrchestrationInstanceCreated: 7,
  SubOrchestrationInstanceCompleted: 8,
  SubOrchestrationInstanceFailed: 9,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventSent: 14,
  EventRaised: 15,
  ContinueAsNew: 16,
  GenericEvent: 17,
  HistoryState: 18,
  ExecutionSuspended: 19,
  ExecutionResumed: 20,
  ExecutionRewound: 21,
} as const;

/** One of the {@link EventType} numbers. */
export type EventTypeNumber = (typeof EventType)[keyof typeof EventType];

const names = new Map<number, string>(Object.entries(EventType).map(([name, value]) => [value, name]));

/** The name of an event type (`TaskScheduled` for 4), as the management API shows it. */
export function eventTypeName(type: number): string {
  return names.get(type) ?? String(type);
}

/** DTFx `OrchestrationStatus` numbers, used by `ExecutionCompleted.OrchestrationStatus`. */
export const OrchestrationStatusCode = {
  Running: 0,
  Completed: 1,
  ContinuedAsNew: 2,
  Failed: 3,
  Canceled: 4,
  Terminated: 5,
  Pending: 6,
  Suspended: 7,
} as const;
