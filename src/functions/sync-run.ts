/** The activity that persists a run's events and recovers its stored replies. */
import type { HandoffServices } from '../app/handoff-services';
import { createSyncRunHandler } from '../durable/activities/sync-run-handler';
import { syncRunActivity } from '../durable/wire/sync-run-activity';
import { registerActivity } from './durable-bindings';

/** Registers `handoffSyncRun`. */
export function registerSyncRun(services: HandoffServices): void {
  registerActivity(
    syncRunActivity.name,
    createSyncRunHandler({ store: services.store, telemetry: services.telemetry }),
  );
}
