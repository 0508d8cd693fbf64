import { z } from 'zod';
import { StopReasonSchema, WorkflowEventSchema } from '../../core/events';
import { TranscriptMessageSchema } from '../../core/messages';
import { defineActivity } from './define-activity';

/**
 * Ends a run: stores the messages the store lacks and the closing events, writes the `output` event
 * (its conversation comes from the stored transcript, which the orchestrator does not keep) and
 * returns the transcript for the orchestration output.
 */
export const FinishRunInputSchema = z.object({
  runId: z.string().min(1),
  knownMessages: z.number().int().nonnegative(),
  append: z.array(TranscriptMessageSchema),
  events: z.array(WorkflowEventSchema),
  handledReplyIds: z.array(z.string()),
  output: z.object({ seq: z.number().int().positive(), timestamp: z.string(), stopReason: StopReasonSchema }),
});
export type FinishRunInput = z.infer<typeof FinishRunInputSchema>;

export const FinishRunOutputSchema = z.object({ transcript: z.array(TranscriptMessageSchema) });
export type FinishRunOutput = z.infer<typeof FinishRunOutputSchema>;

/** `handoffFinishRun`: records a run's last events and returns its transcript. */
export const finishRunActivity = defineActivity(
  'handoffFinishRun',
  FinishRunInputSchema,
  FinishRunOutputSchema,
);
