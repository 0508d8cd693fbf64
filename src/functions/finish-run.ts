/** The activity that records a run's closing events and returns its transcript. */
import * as df from 'durable-functions';
import type { HandoffServices } from '../app/handoff-services';
import { createFinishRunHandler } from '../durable/activities/finish-run-handler';
import { transcriptCacheOf } from '../durable/activities/transcript-cache';
import { finishRunActivity } from '../durable/wire/finish-run-activity';

/** Registers `handoffFinishRun`. */
export function registerFinishRun(services: HandoffServices): void {
  df.app.activity(finishRunActivity.name, {
    handler: createFinishRunHandler({
      store: services.store,
      telemetry: services.telemetry,
      transcripts: transcriptCacheOf(services),
    }),
  });
}
