import { z } from 'zod';
import { RunStateSchema, StopReasonSchema } from '../../core/events';
import { ConversationMessageSchema, TranscriptMessageSchema } from '../../core/messages';
import { TokenUsageSchema } from '../../core/model';

/** The output of a finished run (the orchestration output). */
export const RunOutputSchema = z.object({
  runId: z.string(),
  workflow: z.string(),
  state: RunStateSchema,
  stopReason: StopReasonSchema,
  /** The clean conversation: user and agents' text, in order, as the article prints it. */
  conversation: z.array(ConversationMessageSchema),
  /** The raw transcript, with tool calls and tool results. */
  transcript: z.array(TranscriptMessageSchema),
  turns: z.number().int().nonnegative(),
  usage: z.record(z.string(), TokenUsageSchema),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type RunOutput = z.infer<typeof RunOutputSchema>;
