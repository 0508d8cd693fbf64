/** The activity that records a run's closing events and returns its transcript. */
import type { HandoffServices } from '../app/handoff-services';
import { createFinishRunHandler } from '../durable/activities/finish-run-handler';
import { transcriptCacheOf } from '../durable/activities/transcript-cache';
import { endedConversationsOf } from '../durable/store/ended-conversations';
import { finishRunActivity } from '../durable/wire/finish-run-activity';
import { registerActivity } from './durable-bindings';

/** Registers `handoffFinishRun`. */
export function registerFinishRun(services: HandoffServices): void {
  registerActivity(
    finishRunActivity.name,
    createFinishRunHandler({
      store: services.store,
      telemetry: services.telemetry,
      transcripts: transcriptCacheOf(services),
      ended: endedConversationsOf(services),
    }),
  );
}
