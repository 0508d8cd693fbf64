/**
 * The orchestration trigger payload, as the extension's `OrchestrationContextToString` builds it
 * for out-of-process languages.
 */
import { z } from 'zod';
import { timeSpanString } from '../time/dotnet-time';
import { EventType } from '../history/event-type';
import { HistorySchema, type HistoryEvent } from '../history/history-event';
import { LONG_RUNNING_TIMER_INTERVAL_MS, MAXIMUM_SHORT_TIMER_MS } from './timer-limits';

/** Schema of the payload (used to validate recordings). The misspelt key is part of the contract. */
export const OrchestrationPayloadSchema = z.object({
  history: HistorySchema,
  input: z.unknown(),
  instanceId: z.string(),
  isReplaying: z.boolean(),
  parentInstanceId: z.string().nullable(),
  upperSchemaVersion: z.number().int(),
  upperSchemaVersionNew: z.number().int(),
  longRunningTimerIntervalDuration: z.string(),
  maximumShortTimerDuration: z.string(),
  defaultHttpAsyncRequestSleepTimeMillseconds: z.number(),
});

/** The payload sent to an orchestrator function. */
export type OrchestrationPayload = z.infer<typeof OrchestrationPayloadSchema>;

function parseInput(input: string | null): unknown {
  if (input === null) return null;
  try {
    return JSON.parse(input) as unknown;
  } catch {
    return input;
  }
}

/**
 * Builds the payload for one episode: the execution's history (events of earlier episodes marked
 * `IsPlayed`, this episode's new events not), the input as a JSON value, and schema V4 settings.
 */
export function buildOrchestrationPayload(
  instanceId: string,
  pastEvents: readonly HistoryEvent[],
  newEvents: readonly HistoryEvent[],
): OrchestrationPayload {
  const history = [
    ...pastEvents.map((event) => ({ ...event, IsPlayed: true })),
    ...newEvents.map((event) => ({ ...event, IsPlayed: false })),
  ];
  const started = history.find((event) => event.EventType === EventType.ExecutionStarted);
  return {
    history,
    input: started?.EventType === EventType.ExecutionStarted ? parseInput(started.Input) : null,
    instanceId,
    isReplaying: started?.IsPlayed ?? false,
    parentInstanceId: null,
    upperSchemaVersion: 1,
    upperSchemaVersionNew: 3,
    longRunningTimerIntervalDuration: timeSpanString(LONG_RUNNING_TIMER_INTERVAL_MS),
    maximumShortTimerDuration: timeSpanString(MAXIMUM_SHORT_TIMER_MS),
    defaultHttpAsyncRequestSleepTimeMillseconds: 30_000,
  };
}
