/**
 * The journal of an agent turn in the run store: each model response and tool result is recorded
 * (`!turn-<firstSeq>-<step>` rows beside the turn's slot) before the turn acts on it, so an attempt
 * that runs the turn again finds them and replays them instead of asking the model or running a
 * tool again. The rows are written once (insert); the first attempt to record a step wins.
 */
import { z } from 'zod';
import { AssistantMessageSchema } from '../../core/messages';
import { TokenUsageSchema } from '../../core/model';
import type { RecordedResponse, RecordedToolResult, TurnJournal } from '../../model/agent-turn/turn-journal';
import type { RunStore, TurnStepRecord } from '../store/run-store';

const RecordedResponseSchema = z.object({ message: AssistantMessageSchema, usage: TokenUsageSchema });
/** The call id is kept with the result, so a record names its call (and its idempotency key) alone. */
const RecordedToolResultSchema = z.object({
  callId: z.string().optional(),
  text: z.string(),
  ok: z.boolean(),
});

const pad = (n: number): string => String(n).padStart(3, '0');

/** The step name of model response `step` (`m001`). */
export function responseStepName(step: number): string {
  return `m${pad(step)}`;
}

/** The step name of the result of call `index` of response `step` (`t001-000`). */
export function toolStepName(step: number, index: number): string {
  return `t${pad(step)}-${pad(index)}`;
}

/**
 * A journal over the steps the turn at `firstSeq` recorded so far (`recorded`, read with its slot),
 * recording new ones in `store`.
 */
export function runStoreJournal(
  store: RunStore,
  runId: string,
  firstSeq: number,
  recorded: ReadonlyMap<string, TurnStepRecord>,
): TurnJournal {
  const replayOrRecord = async <T>(
    name: string,
    schema: z.ZodType<T>,
    make: () => Promise<T>,
  ): Promise<T> => {
    const found = recorded.get(name);
    if (found) return schema.parse(found.record);
    const made = await make();
    return schema.parse((await store.recordTurnStep(runId, firstSeq, name, made)).record);
  };
  return {
    response: (step, request): Promise<RecordedResponse> =>
      replayOrRecord(responseStepName(step), RecordedResponseSchema, request),
    toolResult: (step, index, callId, run): Promise<RecordedToolResult> =>
      replayOrRecord(toolStepName(step, index), RecordedToolResultSchema, async () => ({
        callId,
        ...(await run()),
      })),
  };
}
