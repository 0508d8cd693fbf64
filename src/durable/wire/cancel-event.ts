import { z } from 'zod';
import { defineExternalEvent } from './define-activity';

/** Asks a run to end with `stopReason: "cancelled"`, recording its closing events. */
export const CancelRunSchema = z.object({ reason: z.string().max(500).optional() });
export type CancelRun = z.infer<typeof CancelRunSchema>;

/** `cancel_run`: raised by the terminate endpoint; the orchestrator races it with every wait. */
export const cancelRunEvent = defineExternalEvent('cancel_run', CancelRunSchema);
