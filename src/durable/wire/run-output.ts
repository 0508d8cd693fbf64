import { z } from 'zod';
import { RunStateSchema, StopReasonSchema } from '../../core/events';
import { TokenUsageSchema } from '../../core/model';

/**
 * The output of a finished run (the orchestration output): how it ended, its turns and usage. The
 * conversation is in the run store (the `output` event carries it); outputs of earlier builds also
 * held it, and the transcript, which parsing drops.
 */
export const RunOutputSchema = z.object({
  runId: z.string(),
  workflow: z.string(),
  state: RunStateSchema,
  stopReason: StopReasonSchema,
  turns: z.number().int().nonnegative(),
  usage: z.record(z.string(), TokenUsageSchema),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type RunOutput = z.infer<typeof RunOutputSchema>;
