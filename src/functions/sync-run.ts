/** The activity that persists a run's events and recovers its stored replies. */
import * as df from 'durable-functions';
import type { HandoffServices } from '../app/handoff-services';
import { createSyncRunHandler } from '../durable/activities/sync-run-handler';
import { syncRunActivity } from '../durable/wire/sync-run-activity';

/** Registers `handoffSyncRun`. */
export function registerSyncRun(services: HandoffServices): void {
  df.app.activity(syncRunActivity.name, {
    handler: createSyncRunHandler({ store: services.store, telemetry: services.telemetry }),
  });
}
