/**
 * The journal of an agent turn in the run store: each model response and tool result is recorded
 * (`!turn-<firstSeq>-<step>` rows beside the turn's slot) before the turn acts on it, so an attempt
 * that runs the turn again finds them and replays them instead of asking the model or running a
 * tool again. The rows are written once (insert); the first attempt to record a step wins.
 *
 * A model response is held back until the turn acts on it by anything but committing (running a
 * tool, asking the model again): a turn's last response is then written by the turn's commit, in
 * the same transaction (see {@link RunStoreJournal.unwritten}), which saves a store write per turn.
 * Nothing happens between receiving that response and the commit that a retry could repeat, so an
 * attempt that dies in between asks the model again, exactly as one that died before the record's
 * own write would.
 */
import { z } from 'zod';
import { DurableHandoffError } from '../../core/errors';
import { isCount } from '../../core/value-checks';
import { AssistantMessageSchema } from '../../core/messages';
import { TokenUsageSchema } from '../../core/model';
import type { RecordedResponse, RecordedToolResult, TurnJournal } from '../../model/agent-turn/turn-journal';
import type { RunStore, TurnStepRecord, TurnStepWrite } from '../store/run-store';

const RecordedResponseSchema = z.object({ message: AssistantMessageSchema, usage: TokenUsageSchema });
/** The call id is kept with the result, so a record names its call (and its idempotency key) alone. */
const RecordedToolResultSchema = z.object({
  callId: z.string().optional(),
  text: z.string(),
  ok: z.boolean(),
});

/**
 * A response the turn just received, as its record: the turn made it from the model's answer, its
 * message already checked against the message schema (`runAgentTurn` parses every message it
 * takes). So only the envelope and the usage (which a custom `ChatModel` reports) are checked here,
 * by hand; anything unusual goes through the schema, which the record must pass to be replayed.
 */
function freshResponse(made: RecordedResponse): RecordedResponse {
  const usage = made.usage as unknown as Record<string, unknown> | undefined;
  const plain =
    Object.keys(made).length === 2 &&
    typeof made.message === 'object' &&
    made.message !== null &&
    typeof usage === 'object' &&
    usage !== null &&
    Object.keys(usage).length === 4 &&
    isCount(usage.promptTokens) &&
    isCount(usage.completionTokens) &&
    isCount(usage.totalTokens) &&
    isCount(usage.requests);
  return plain ? made : RecordedResponseSchema.parse(made);
}

const pad = (n: number): string => String(n).padStart(3, '0');

/** The step name of model response `step` (`m001`). */
export function responseStepName(step: number): string {
  return `m${pad(step)}`;
}

/** The step name of the result of call `index` of response `step` (`t001-000`). */
export function toolStepName(step: number, index: number): string {
  return `t${pad(step)}-${pad(index)}`;
}

/** A turn's journal in the run store, with the responses it holds back until the turn commits. */
export interface RunStoreJournal extends TurnJournal {
  /** The responses received but not written yet, oldest first: the turn's commit writes them. */
  unwritten(): TurnStepWrite[];
  /** Writes the responses held back (when the turn fails: a retry then replays them). */
  flush(): Promise<void>;
}

/**
 * A journal over the steps the turn at `firstSeq` recorded so far (`recorded`, read with its slot),
 * recording new ones in `store`. `beforeActing` is awaited before the turn acts on anything it
 * received (a step written, a tool run): a turn that has not stored its input yet stores it there
 * (and learns there whether `recorded` was all there is, see `turn-opening.ts`).
 */
export function runStoreJournal(
  store: RunStore,
  runId: string,
  firstSeq: number,
  recorded: ReadonlyMap<string, TurnStepRecord>,
  beforeActing: () => Promise<void> = () => Promise.resolve(),
): RunStoreJournal {
  let held: TurnStepWrite[] = [];
  const flush = async (): Promise<void> => {
    if (held.length === 0) return;
    await beforeActing();
    const writing = held;
    held = [];
    for (const { step, record } of writing) {
      const stored = await store.recordTurnStep(runId, firstSeq, step, record);
      // Another attempt recorded this response first; this attempt already went on from its own.
      // Nothing acted on it outside this process yet: a retry replays the recorded one.
      if (stored.record !== record && JSON.stringify(stored.record) !== JSON.stringify(record)) {
        throw new DurableHandoffError(
          'conflict',
          `Another attempt of this agent turn recorded its model response ${step} first; the turn runs again from the records.`,
          { isRetryable: true },
        );
      }
    }
  };
  const replayOrRecord = async <T>(
    name: string,
    schema: z.ZodType<T>,
    make: () => Promise<T>,
  ): Promise<T> => {
    const found = recorded.get(name);
    if (found) return schema.parse(found.record);
    await flush();
    await beforeActing();
    const made = await make();
    return schema.parse((await store.recordTurnStep(runId, firstSeq, name, made)).record);
  };
  return {
    async response(step, request): Promise<RecordedResponse> {
      const name = responseStepName(step);
      const found = recorded.get(name);
      if (found) return RecordedResponseSchema.parse(found.record);
      // Asking the model again acts on the responses before: they are recorded first.
      await flush();
      const made = freshResponse(await request());
      held.push({ step: name, record: made });
      return made;
    },
    toolResult: (step, index, callId, run): Promise<RecordedToolResult> =>
      replayOrRecord(toolStepName(step, index), RecordedToolResultSchema, async () => ({
        callId,
        ...(await run()),
      })),
    unwritten: () => [...held],
    flush,
  };
}
