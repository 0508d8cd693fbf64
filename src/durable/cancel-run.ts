import type { RunClient } from './run-client';
import { cancelRunEvent } from './wire/cancel-event';

/** Asks a run to stop; it records `status` terminated with `stopReason: "cancelled"` and its output. */
export async function cancelRun(client: RunClient, runId: string, reason?: string): Promise<void> {
  await client.raiseEvent(runId, cancelRunEvent.name, cancelRunEvent.payload.parse(reason ? { reason } : {}));
}
