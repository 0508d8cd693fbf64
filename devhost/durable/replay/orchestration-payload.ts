/**
 * The orchestration trigger payload, as the extension's `OrchestrationContextToString` builds it
 * for out-of-process languages.
 */
import { z } from 'zod';
import { memoizeText } from '../text/text-memo';
import { timeSpanString } from '../time/dotnet-time';
import { EventType } from '../history/event-type';
import { HistorySchema, type HistoryEvent } from '../history/history-event';
import { LONG_RUNNING_TIMER_INTERVAL_MS, MAXIMUM_SHORT_TIMER_MS } from './timer-limits';

const LONG_RUNNING_TIMER_INTERVAL = timeSpanString(LONG_RUNNING_TIMER_INTERVAL_MS);
const MAXIMUM_SHORT_TIMER = timeSpanString(MAXIMUM_SHORT_TIMER_MS);

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
 * The payload's `input` as JSON text: the stored input parsed (text that is not JSON stays a
 * string) and written again. Remembered, as every episode of an instance writes the same input.
 */
const inputText = memoizeText((input: string) => JSON.stringify(parseInput(input)) ?? 'null', {
  maxEntries: 256,
  maxLength: 64 * 1024,
});

function inputJson(input: string | null): string {
  return input === null ? 'null' : inputText(input);
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
    longRunningTimerIntervalDuration: LONG_RUNNING_TIMER_INTERVAL,
    maximumShortTimerDuration: MAXIMUM_SHORT_TIMER,
    defaultHttpAsyncRequestSleepTimeMillseconds: 30_000,
  };
}

/** The JSON text of `events` as the payload carries them, comma-separated (no brackets). */
export function historyEventsJson(events: readonly HistoryEvent[], played: boolean): string {
  let json = '';
  for (const event of events)
    json += `${json === '' ? '' : ','}${JSON.stringify({ ...event, IsPlayed: played })}`;
  return json;
}

/**
 * The JSON text of {@link buildOrchestrationPayload}'s payload, character for character, from the
 * past events' text as {@link historyEventsJson} wrote it with `played` true, so an instance's
 * earlier events are serialized once instead of once per episode.
 */
export function orchestrationPayloadJson(
  instanceId: string,
  pastEvents: readonly HistoryEvent[],
  pastEventsJson: string,
  newEvents: readonly HistoryEvent[],
): string {
  const newJson = historyEventsJson(newEvents, false);
  const history =
    pastEventsJson === '' ? newJson : newJson === '' ? pastEventsJson : `${pastEventsJson},${newJson}`;
  const pastStart = pastEvents.find((event) => event.EventType === EventType.ExecutionStarted);
  const started = pastStart ?? newEvents.find((event) => event.EventType === EventType.ExecutionStarted);
  const input = started?.EventType === EventType.ExecutionStarted ? inputJson(started.Input) : 'null';
  return (
    `{"history":[${history}],"input":${input},"instanceId":${JSON.stringify(instanceId)},` +
    `"isReplaying":${pastStart !== undefined},"parentInstanceId":null,"upperSchemaVersion":1,"upperSchemaVersionNew":3,` +
    `"longRunningTimerIntervalDuration":${JSON.stringify(LONG_RUNNING_TIMER_INTERVAL)},` +
    `"maximumShortTimerDuration":${JSON.stringify(MAXIMUM_SHORT_TIMER)},"defaultHttpAsyncRequestSleepTimeMillseconds":30000}`
  );
}
