/**
 * How much durable history each agent turn adds, against the turn's new content, computed from an
 * orchestration recording of the local host's engine (`engine.recording(instanceId)`).
 *
 * A recording holds, per execution (continue-as-new generation), every episode's payload: the
 * history written before the episode (`IsPlayed: true`) and the episode's new events. What an
 * episode wrote is therefore the next episode's played history minus its own; for the last episode
 * of an execution the closing events are rebuilt (`ContinueAsNew` carrying the next execution's
 * input, or `ExecutionCompleted` carrying the output, then `OrchestratorCompleted`), in the shape
 * the engine writes them, by the engine's own builders (from `dist/`).
 *
 * Turn N is charged with what the episodes after the one that received turn N-1's result, up to
 * the one that received turn N's result, wrote: turn N's result (`TaskCompleted`), the scheduling
 * of turn N+1 (`TaskScheduled`, with its input) and the episode markers; at a continue-as-new, also
 * the closing `ContinueAsNew` and the next execution's `ExecutionStarted` (both carry the run state).
 * The turn's new content is the transcript messages it added: the user messages handed to it (in
 * its input's `user_message` events, or its `append` list before #12, e.g. the autonomous prompt)
 * and the messages of its result.
 */
import { z } from 'zod';
import {
  continueAsNew,
  executionCompleted,
  orchestratorCompleted,
} from '../../../dist/devhost/durable/history/event-builders.js';
import { EventType, OrchestrationStatusCode } from '../../../dist/devhost/durable/history/event-type.js';
import { BenchError } from '../bench-error';

const HistoryEventSchema = z
  .object({
    EventType: z.number().int(),
    EventId: z.number().int(),
    IsPlayed: z.boolean(),
    Timestamp: z.string(),
    Name: z.string().optional(),
    Input: z.string().nullable().optional(),
    Result: z.string().nullable().optional(),
    TaskScheduledId: z.number().int().optional(),
  })
  .loose();
type HistoryEvent = z.infer<typeof HistoryEventSchema>;

/** The parts of a recording (`durable-handoff.devhost.recording/1`) this module reads. */
export const RecordingSchema = z.object({
  instanceId: z.string(),
  executions: z.array(
    z.object({
      executionId: z.string(),
      episodes: z.array(
        z.object({
          payload: z.object({ history: z.array(HistoryEventSchema) }),
          result: z.discriminatedUnion('kind', [
            z.object({
              kind: z.literal('state'),
              state: z.object({ isDone: z.boolean(), output: z.unknown().optional() }).loose(),
            }),
            z.object({ kind: z.literal('failed'), message: z.string() }),
          ]),
        }),
      ),
    }),
  ),
});
/** A recording, as far as this module reads it. */
export type Recording = z.infer<typeof RecordingSchema>;

/** What one agent turn added. */
export interface TurnGrowth {
  /** 1-based agent turn of the conversation (counted across executions). */
  turn: number;
  /** 1-based execution (continue-as-new generation) that received the turn's result. */
  execution: number;
  /** JSON bytes of the history events charged to the turn. */
  historyBytes: number;
  /** JSON bytes of the transcript messages the turn added. */
  newContentBytes: number;
}

/** One written episode: its events, and the agent turns whose results arrived in it. */
interface WrittenEpisode {
  execution: number;
  /** 0-based index of the episode in its execution. */
  episode: number;
  /** Events in the episode's payload (played and new). */
  historyLength: number;
  events: HistoryEvent[];
  completedTurns: { scheduled: HistoryEvent; completed: HistoryEvent }[];
}

const bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** An event as the store keeps it (`IsPlayed` is a flag of the payload, not of the stored event). */
const stored = (event: HistoryEvent): HistoryEvent => ({ ...event, IsPlayed: false });

function closingEvents(
  last: Recording['executions'][number]['episodes'][number],
  lastEvent: HistoryEvent | undefined,
  nextInput: string | null | undefined,
): HistoryEvent[] {
  const timestamp = lastEvent?.Timestamp ?? '';
  const eventId = Math.max(-1, ...last.payload.history.map((event) => event.EventId)) + 1;
  // Built by the engine's own builders, so the bytes are those the engine writes.
  const closing = (event: HistoryEvent): HistoryEvent[] => [event, orchestratorCompleted(timestamp)];
  if (nextInput !== undefined) return closing(continueAsNew(timestamp, eventId, nextInput));
  if (last.result.kind === 'state' && last.result.state.isDone) {
    const output = last.result.state.output;
    const result = output === undefined ? null : JSON.stringify(output);
    return closing(executionCompleted(timestamp, eventId, OrchestrationStatusCode.Completed, result));
  }
  return [orchestratorCompleted(timestamp)];
}

function writtenEpisodes(recording: Recording, agentTurnActivity: string): WrittenEpisode[] {
  const written: WrittenEpisode[] = [];
  recording.executions.forEach((execution, e) => {
    const scheduled = new Map<number, HistoryEvent>();
    const nextStart = recording.executions[e + 1]?.episodes[0]?.payload.history.find(
      (event) => event.EventType === EventType.ExecutionStarted,
    );
    execution.episodes.forEach((episode, i) => {
      const history = episode.payload.history;
      const played = history.filter((event) => event.IsPlayed).length;
      const fresh = history.slice(played);
      const next = execution.episodes[i + 1];
      const events =
        next === undefined
          ? [
              ...fresh,
              ...closingEvents(
                episode,
                history.at(-1),
                nextStart === undefined ? undefined : (nextStart.Input ?? null),
              ),
            ]
          : next.payload.history.filter((event) => event.IsPlayed).slice(played);
      for (const event of history) {
        if (event.EventType === EventType.TaskScheduled && event.Name === agentTurnActivity) {
          scheduled.set(event.EventId, event);
        }
      }
      const completedTurns = fresh.flatMap((event) => {
        if (event.EventType !== EventType.TaskCompleted || event.TaskScheduledId === undefined) return [];
        const turn = scheduled.get(event.TaskScheduledId);
        return turn === undefined ? [] : [{ scheduled: turn, completed: event }];
      });
      written.push({
        execution: e + 1,
        episode: i,
        historyLength: history.length,
        events: events.map(stored),
        completedTurns,
      });
    });
  });
  return written;
}

const TurnInputSchema = z.tuple([
  z.union([
    // Since #12: the user messages are those of the `user_message` events (`append` only rarely).
    z
      .object({
        schemaVersion: z.literal(2),
        knownMessages: z.number().int().nonnegative(),
        append: z.array(z.unknown()).optional(),
        events: z.array(z.object({ type: z.string() }).loose()),
      })
      .loose(),
    z
      .object({ append: z.array(z.unknown()), knownMessages: z.number().int().nonnegative().optional() })
      .loose(),
  ]),
]);
const TurnOutputSchema = z
  .object({
    ok: z.boolean(),
    result: z
      .object({ messages: z.array(z.unknown()).optional() })
      .loose()
      .optional(),
    // The current shape: a summary; the messages themselves are in the run store.
    turn: z.object({ messageCount: z.number().int().nonnegative().optional() }).loose().optional(),
  })
  .loose();

function parseJson(text: string | null | undefined, what: string): unknown {
  try {
    return JSON.parse(text ?? 'null') as unknown;
  } catch {
    throw new BenchError('run_mismatch', `${what} is not JSON: ${String(text).slice(0, 200)}`);
  }
}

/**
 * JSON bytes of the transcript messages an agent turn added: the user messages handed to it and the
 * messages it produced. A turn result only counts its messages (they are in the run store), so those
 * are taken from the run's final transcript at the turn's position: the one given, else the
 * orchestration output's (`output.transcript`, before #12).
 */
export function newContentBytes(
  scheduled: HistoryEvent,
  completed: HistoryEvent,
  transcript?: readonly unknown[],
): number {
  const input = TurnInputSchema.safeParse(parseJson(scheduled.Input, 'An agent turn input'));
  const output = TurnOutputSchema.safeParse(parseJson(completed.Result, 'An agent turn result'));
  if (!input.success || !output.success) {
    throw new BenchError(
      'run_mismatch',
      `Agent turn task ${scheduled.EventId} has an unexpected input or result shape: ${(input.error ?? output.error)?.message ?? ''}`,
    );
  }
  const turnInput = input.data[0];
  const { knownMessages } = turnInput;
  const append =
    'events' in turnInput && Array.isArray(turnInput.events) && turnInput.schemaVersion === 2
      ? [
          ...(turnInput.append ?? []),
          ...(turnInput.events as { type: string }[]).filter((event) => event.type === 'user_message'),
        ]
      : (turnInput.append ?? []);
  const count = output.data.turn?.messageCount;
  if (count !== undefined) {
    if (transcript === undefined || knownMessages === undefined) {
      throw new BenchError(
        'run_mismatch',
        "A turn summary needs the run's final transcript to measure its new content.",
      );
    }
    return transcript
      .slice(knownMessages, knownMessages + append.length + count)
      .reduce<number>((sum, message) => sum + bytes(message), 0);
  }
  const messages = [...append, ...(output.data.result?.messages ?? [])];
  return messages.reduce<number>((sum, message) => sum + bytes(message), 0);
}

/**
 * Per agent turn, the history bytes charged to it and its new content, in turn order.
 *
 * @example
 * ```ts
 * const turns = historyGrowthPerTurn(await engine.recording(runId), 'handoffAgentTurn', storedTranscript);
 * const ratios = turns.map((turn) => turn.historyBytes / turn.newContentBytes);
 * ```
 */
export function historyGrowthPerTurn(
  rawRecording: unknown,
  agentTurnActivity: string,
  transcript?: readonly unknown[],
): TurnGrowth[] {
  const parsed = RecordingSchema.safeParse(rawRecording);
  if (!parsed.success) {
    throw new BenchError('run_mismatch', `The recording has an unexpected shape: ${parsed.error.message}`);
  }
  const turns: TurnGrowth[] = [];
  let pendingBytes = 0;
  const finalMessages = transcript ?? finalTranscript(parsed.data);
  for (const episode of writtenEpisodes(parsed.data, agentTurnActivity)) {
    pendingBytes += episode.events.reduce((sum, event) => sum + bytes(event), 0);
    if (episode.completedTurns.length === 0) continue;
    const content = episode.completedTurns.reduce(
      (sum, turn) => sum + newContentBytes(turn.scheduled, turn.completed, finalMessages),
      0,
    );
    // One result per episode in a handoff run; should several arrive together, they share the bytes.
    for (const _ of episode.completedTurns) {
      turns.push({
        turn: turns.length + 1,
        execution: episode.execution,
        historyBytes: pendingBytes / episode.completedTurns.length,
        newContentBytes: content / episode.completedTurns.length,
      });
    }
    pendingBytes = 0;
  }
  return turns;
}

/** The run's transcript from the orchestration output of its last episode (builds before #12). */
function finalTranscript(recording: Recording): unknown[] | undefined {
  const last = recording.executions.at(-1)?.episodes.at(-1);
  if (last?.result.kind !== 'state' || !last.result.state.isDone) return undefined;
  const transcript = (last.result.state.output as { transcript?: unknown } | undefined)?.transcript;
  return Array.isArray(transcript) ? transcript : undefined;
}

/** Where an agent turn's result was received: the episode to replay to measure that turn's replay. */
export interface TurnEpisode {
  turn: number;
  /** 0-based execution index in the recording. */
  executionIndex: number;
  /** 0-based episode index in the execution. */
  episodeIndex: number;
  /** History events the orchestrator replays in that episode (played and new). */
  historyLength: number;
}

/** For each agent turn, the episode that received its result. */
export function turnEpisodes(rawRecording: unknown, agentTurnActivity: string): TurnEpisode[] {
  const recording = RecordingSchema.parse(rawRecording);
  const found: TurnEpisode[] = [];
  for (const episode of writtenEpisodes(recording, agentTurnActivity)) {
    for (const _ of episode.completedTurns) {
      found.push({
        turn: found.length + 1,
        executionIndex: episode.execution - 1,
        episodeIndex: episode.episode,
        historyLength: episode.historyLength,
      });
    }
  }
  return found;
}

/** Total history bytes the recording wrote, including what came after the last agent turn. */
export function totalHistoryBytes(rawRecording: unknown, agentTurnActivity: string): number {
  const recording = RecordingSchema.parse(rawRecording);
  return writtenEpisodes(recording, agentTurnActivity).reduce(
    (sum, episode) => sum + episode.events.reduce((inner, event) => inner + bytes(event), 0),
    0,
  );
}
