/** The activity that persists a run's events and recovers its stored replies. */
import * as df from 'durable-functions';
import { createSyncRunHandler } from '../durable/activities/sync-run-handler';
import { appRunStore } from '../durable/run-services';
import { syncRunActivity } from '../durable/wire/sync-run-activity';

/** Registers `handoffSyncRun`. */
export function registerSyncRun(): void {
  df.app.activity(syncRunActivity.name, { handler: createSyncRunHandler({ store: appRunStore }) });
}
