/**
 * History events in the JSON shape the Durable extension sends to durable-functions (PascalCase
 * DTFx `HistoryEvent` objects, enums as numbers, times as ISO strings).
 */
import { z } from 'zod';
import { EventType } from './event-type';

/** DTFx `FailureDetails` as the extension serializes it into the history (Newtonsoft, Pascal case). */
export interface FailureDetailsJson {
  ErrorType: string;
  ErrorMessage: string;
  StackTrace: string | null;
  InnerFailure: FailureDetailsJson | null;
  IsNonRetriable: boolean;
  Properties: Record<string, unknown> | null;
}

const failureDetailsSchema: z.ZodType<FailureDetailsJson> = z.lazy(() =>
  z.object({
    ErrorType: z.string(),
    ErrorMessage: z.string(),
    StackTrace: z.string().nullable(),
    InnerFailure: failureDetailsSchema.nullable(),
    IsNonRetriable: z.boolean(),
    Properties: z.record(z.string(), z.unknown()).nullable(),
  }),
);

const base = {
  EventId: z.number().int(),
  IsPlayed: z.boolean(),
  Timestamp: z.string(),
};

// ExecutionCompleted and ContinueAsNew (DTFx's ContinueAsNewEvent extends ExecutionCompletedEvent).
const completion = {
  OrchestrationStatus: z.number().int(),
  Result: z.string().nullable(),
  FailureDetails: z.null(),
};

const OrchestrationInstanceSchema = z.object({ InstanceId: z.string(), ExecutionId: z.string() });

/** Schemas of the events the emulator writes and reads, keyed by `EventType`. */
export const HistoryEventSchema = z.discriminatedUnion('EventType', [
  z.object({
    ...base,
    EventType: z.literal(EventType.ExecutionStarted),
    OrchestrationInstance: OrchestrationInstanceSchema,
    ParentInstance: z.null(),
    Name: z.string(),
    Version: z.string().nullable(),
    Input: z.string().nullable(),
    Tags: z.null(),
    Correlation: z.null(),
    ParentTraceContext: z.null(),
    ScheduledStartTime: z.null(),
    Generation: z.number().int(),
  }),
  z.object({ ...base, EventType: z.literal(EventType.ExecutionCompleted), ...completion }),
  z.object({ ...base, EventType: z.literal(EventType.ContinueAsNew), ...completion }),
  z.object({ ...base, EventType: z.literal(EventType.ExecutionTerminated), Input: z.string().nullable() }),
  z.object({
    ...base,
    EventType: z.literal(EventType.TaskScheduled),
    Name: z.string(),
    Version: z.string(),
    Input: z.string().nullable(),
    Tags: z.null(),
    ParentTraceContext: z.null(),
  }),
  z.object({
    ...base,
    EventType: z.literal(EventType.TaskCompleted),
    TaskScheduledId: z.number().int(),
    Result: z.string().nullable(),
  }),
  z.object({
    ...base,
    EventType: z.literal(EventType.TaskFailed),
    TaskScheduledId: z.number().int(),
    Reason: z.string().nullable(),
    Details: z.string().nullable(),
    FailureDetails: failureDetailsSchema.nullable(),
  }),
  z.object({ ...base, EventType: z.literal(EventType.TimerCreated), FireAt: z.string() }),
  z.object({
    ...base,
    EventType: z.literal(EventType.TimerFired),
    TimerId: z.number().int(),
    FireAt: z.string(),
  }),
  z.object({ ...base, EventType: z.literal(EventType.OrchestratorStarted) }),
  z.object({ ...base, EventType: z.literal(EventType.OrchestratorCompleted) }),
  z.object({
    ...base,
    EventType: z.literal(EventType.EventRaised),
    Name: z.string(),
    Input: z.string().nullable(),
  }),
  z.object({ ...base, EventType: z.literal(EventType.ExecutionSuspended), Reason: z.string().nullable() }),
  z.object({ ...base, EventType: z.literal(EventType.ExecutionResumed), Reason: z.string().nullable() }),
]);

/** One history event. */
export type HistoryEvent = z.infer<typeof HistoryEventSchema>;

/** The history event with `EventType` `T`. */
export type HistoryEventOf<T extends HistoryEvent['EventType']> = Extract<HistoryEvent, { EventType: T }>;

/** A history, validated: the shape read back from storage or from a recording file. */
export const HistorySchema = z.array(HistoryEventSchema);
