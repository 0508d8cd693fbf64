/** The activity that records a run's closing events and returns its transcript. */
import * as df from 'durable-functions';
import { createFinishRunHandler } from '../durable/activities/finish-run-handler';
import { appRunStore } from '../durable/run-services';
import { finishRunActivity } from '../durable/wire/finish-run-activity';

/** Registers `handoffFinishRun`. */
export function registerFinishRun(): void {
  df.app.activity(finishRunActivity.name, { handler: createFinishRunHandler({ store: appRunStore }) });
}
