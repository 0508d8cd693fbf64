import type { InvocationContext } from '@azure/functions';
import { toConversation } from '../../core/messages';
import type { RunStore } from '../store/run-store';
import { finishRunActivity, type FinishRunOutput } from '../wire/finish-run-activity';
import { retryableFailureMessage } from '../wire/retryable-failure';
import { alwaysRetryable } from './classify-activity-error';

/**
 * The `handoffFinishRun` activity: stores what the run store lacks (last user messages, closing
 * events), writes the `output` event with the conversation read back from the store, and returns the
 * transcript. Idempotent: every write is an upsert at a fixed position.
 */
export function createFinishRunHandler(deps: { store: () => RunStore }) {
  return async function handoffFinishRun(
    rawInput: unknown,
    context: InvocationContext,
  ): Promise<FinishRunOutput> {
    const input = finishRunActivity.input.parse(rawInput);
    try {
      const store = deps.store();
      // Independent rows, so they go out together; the closing events go last, since a run reads
      // as finished once they are stored.
      const [stored] = await Promise.all([
        store.readMessages(input.runId, input.knownMessages),
        store.saveMessages(input.runId, input.knownMessages, input.append),
        store.markRepliesHandled(input.runId, input.handledReplyIds),
      ]);
      const transcript = [...stored, ...input.append];
      await store.saveEvents(input.runId, [
        ...input.events,
        { type: 'output', ...input.output, conversation: toConversation(transcript) },
      ]);
      return { transcript };
    } catch (error) {
      const failure = alwaysRetryable(error);
      context.warn(`Finishing run '${input.runId}' failed; Durable will retry: ${failure.message}`);
      // The run cannot end without its closing events stored: every failure here is worth a retry.
      throw new Error(retryableFailureMessage(failure.code, failure.message));
    }
  };
}
