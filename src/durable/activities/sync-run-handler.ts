import type { InvocationContext } from '@azure/functions';
import { runStoreKey } from '../wire/run-instance';
import type { RunStore } from '../store/run-store';
import { retryableFailureMessage } from '../wire/retryable-failure';
import { syncRunActivity, type SyncRunOutput } from '../wire/sync-run-activity';
import { userMessagesOf } from '../wire/user-messages';
import { allSettled } from './all-settled';
import { alwaysRetryable } from './classify-activity-error';
import type { HandoffTelemetry } from '../../telemetry/handoff-telemetry';
import { humanWaitsToReport } from './human-waits';

/**
 * The `handoffSyncRun` activity: persists events, the user messages among them and handled-reply
 * marks (idempotent upserts) and, at the start of a generation, returns the stored replies the run
 * has not handled yet.
 */
export function createSyncRunHandler(deps: {
  store: () => RunStore;
  /** The app's spans and metrics: a sync that stores a human's answer reports the wait. */
  telemetry?: () => Promise<HandoffTelemetry>;
}) {
  return async function handoffSyncRun(
    rawInput: unknown,
    context: InvocationContext,
  ): Promise<SyncRunOutput> {
    const input = syncRunActivity.input.parse(rawInput);
    try {
      const store = deps.store();
      const key = runStoreKey({ runId: input.runId, nonce: input.nonce });
      const known = input.knownMessages;
      // Read before the writes: an answer an earlier attempt stored, it reported.
      const waits =
        deps.telemetry && input.trace
          ? await humanWaitsToReport(
              await deps.telemetry(),
              { trace: input.trace, runId: input.runId, workflow: input.workflow, key },
              input.events,
              store,
              (message) => context.warn(message),
            )
          : undefined;
      // The replies are read after the marks land, so a reply handled here is not handed back.
      // The events and the user messages among them: one write (one partition of one table).
      await allSettled([
        store.saveEvents(
          key,
          input.events,
          known === undefined
            ? undefined
            : { at: known, messages: [...(input.append ?? []), ...userMessagesOf(input.events)] },
        ),
        store.markRepliesHandled(key, input.handledReplyIds),
      ]);
      waits?.report();
      const replies = input.loadReplies ? await store.unhandledReplies(key) : [];
      // Syncs of earlier builds (no `knownMessages`) stored events only: the answer says which this was.
      return known === undefined ? { replies } : { replies, storedMessages: true };
    } catch (error) {
      const failure = alwaysRetryable(error);
      context.warn(`Syncing run '${input.runId}' failed; Durable will retry: ${failure.message}`);
      // The run cannot go on without its events stored: every failure here is worth a retry.
      throw new Error(retryableFailureMessage(failure.code, failure.message));
    }
  };
}
