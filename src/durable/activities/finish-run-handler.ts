import type { InvocationContext } from '@azure/functions';
import { toConversation, type TranscriptMessage } from '../../core/messages';
import { runStoreKey } from '../wire/run-instance';
import type { RunStore } from '../store/run-store';
import { CommittedTurnSchema, type CommittedTurn } from '../wire/agent-turn-activity';
import { finishRunActivity, type FinishRunInput, type FinishRunOutput } from '../wire/finish-run-activity';
import type { TokenUsage } from '../../core/model';
import { retryableFailureMessage } from '../wire/retryable-failure';
import { userMessagesOf } from '../wire/user-messages';
import { allSettled } from './all-settled';
import { afterCommittedTurn, completedOf } from './closing-events';
import { alwaysRetryable } from './classify-activity-error';
import type { HandoffTelemetry } from '../../telemetry/handoff-telemetry';
import type { TranscriptCache } from './transcript-cache';
import type { EndedConversations } from '../store/ended-conversations';
import { humanWaitsToReport } from './human-waits';

/**
 * The finish of a run whose abandoned turn had ended it (see `run-closing.ts`): the turn stored the
 * run's closing events and reported its end, so they stand; only what the turn was handed (which
 * it stored too, and which a write again leaves as it is) and the reply marks are stored.
 */
async function closedByTurn(
  store: RunStore,
  key: string,
  input: FinishRunInput,
  firstSeq: number,
  usage: TokenUsage,
): Promise<FinishRunOutput> {
  const before = input.events.filter((event) => event.seq < firstSeq);
  const append = [...(input.append ?? []), ...userMessagesOf(before)];
  await allSettled([
    before.length > 0 || append.length > 0
      ? store.saveEvents(key, before, { at: input.knownMessages, messages: append })
      : Promise.resolve(),
    store.markRepliesHandled(key, input.handledReplyIds),
  ]);
  return { committedTurn: { usage, closedRun: true } };
}

/**
 * The `handoffFinishRun` activity: stores what the run store lacks (the user messages among the
 * closing events, the closing events) and writes the `output` event with the conversation read back
 * from the store, and removes an answer preview left behind, in one write. Idempotent: every write is an upsert at a fixed position, and closing a turn slot
 * answers the same every time.
 */
export function createFinishRunHandler(deps: {
  store: () => RunStore;
  /** The app's spans and metrics: the run's end (a `finish_run` span, the runs-finished metric). */
  telemetry?: () => Promise<HandoffTelemetry>;
  /** Transcripts this process already holds (shared with the agent-turn activity); none: read them all. */
  transcripts?: TranscriptCache;
  /** Where this process keeps the conversations of runs that ended (the status route reads them). */
  ended?: EndedConversations;
}) {
  return async function handoffFinishRun(
    rawInput: unknown,
    context: InvocationContext,
  ): Promise<FinishRunOutput> {
    const input = finishRunActivity.input.parse(rawInput);
    try {
      const store = deps.store();
      const key = runStoreKey({
        runId: input.runId,
        nonce: 'schemaVersion' in input ? input.nonce : undefined,
      });
      let events = input.events;
      let outputSeq = input.output.seq;
      let committed: CommittedTurn | undefined;
      const abandoned = 'schemaVersion' in input ? input.abandonedTurn : undefined;
      if ('schemaVersion' in input && abandoned) {
        // First, so no late attempt of the turn can write after the run's last event.
        const slot = await store.closeTurnSlot(key, abandoned.firstSeq);
        if (slot.kind === 'committed') {
          committed = CommittedTurnSchema.parse(slot.record);
          const turn = completedOf(committed);
          if (turn?.kind === 'completed' && turn.closedRun) {
            const closed = await closedByTurn(store, key, input, abandoned.firstSeq, turn.usage);
            deps.transcripts?.forget(key);
            return closed;
          }
          ({ events, outputSeq } = afterCommittedTurn(input, abandoned, committed));
        }
      }
      const current = 'schemaVersion' in input ? input : undefined;
      const telemetry = deps.telemetry && current ? await deps.telemetry() : undefined;
      const append: TranscriptMessage[] =
        'schemaVersion' in input ? [...(input.append ?? []), ...userMessagesOf(events)] : input.append;
      const [stored, waits] = await allSettled([
        deps.transcripts
          ? deps.transcripts.read(store, key, input.knownMessages)
          : store.readMessages(key, input.knownMessages),
        // Before the closing events are stored: an earlier attempt that stored them reported them.
        telemetry
          ? humanWaitsToReport(
              telemetry,
              { trace: current?.trace, runId: input.runId, workflow: current?.workflow, key },
              events,
              store,
              (message) => context.warn(message),
              { outputSeq },
            )
          : Promise.resolve(undefined),
        store.markRepliesHandled(key, input.handledReplyIds),
      ]);
      const transcript = [...stored, ...append, ...(committed?.messages ?? [])];
      const conversation = toConversation(transcript);
      // One write: the user messages, the closing events, and no answer preview (one a turn could
      // not remove, because it failed or the run stopped while it ran).
      await store.closeRun(
        key,
        [
          ...events,
          {
            type: 'output',
            seq: outputSeq,
            timestamp: input.output.timestamp,
            stopReason: input.output.stopReason,
            conversation,
          },
        ],
        { at: input.knownMessages, messages: append },
      );
      if (telemetry && waits?.reportEnd) {
        waits.report();
        telemetry.runFinished({
          trace: current?.trace,
          runId: input.runId,
          workflow: current?.workflow,
          stopReason: input.output.stopReason,
        });
      }
      // The run has ended: its transcript is not read again here, its conversation is.
      deps.transcripts?.forget(key);
      if (current?.nonce) deps.ended?.remember(key, conversation);
      const turn = committed && completedOf(committed);
      if (!turn) return {};
      return {
        committedTurn: { usage: turn.usage, ...(turn.kind === 'awaiting_approval' ? { paused: true } : {}) },
      };
    } catch (error) {
      const failure = alwaysRetryable(error);
      context.warn(`Finishing run '${input.runId}' failed; Durable will retry: ${failure.message}`);
      // The run cannot end without its closing events stored: every failure here is worth a retry.
      throw new Error(retryableFailureMessage(failure.code, failure.message));
    }
  };
}
