import { z } from 'zod';
import { StopReasonSchema, WorkflowEventSchema } from '../../core/events';
import { TranscriptMessageSchema } from '../../core/messages';
import { TokenUsageSchema } from '../../core/model';
import { defineActivity } from './define-activity';
import { RunNonceSchema } from './run-instance';
import { RunTraceSchema } from './run-trace';

/**
 * Ends a run: stores the closing events (and the user messages among them, after `knownMessages`)
 * and writes the `output` event, whose conversation comes from the stored transcript.
 *
 * `abandonedTurn`: the run stopped while an agent turn was in flight (cancelled, or every attempt
 * failed), so the turn may still write, or may have written, its events from `firstSeq` on. The
 * finish closes the turn's slot first, so no late attempt can write there; if an attempt had
 * already written, the turn counts as done: the closing events go after its events, without those
 * listed in `unlessCommitted` (e.g. the agent's `executor_completed`, which the turn wrote itself).
 */
export const FinishRunInputSchema = z.object({
  schemaVersion: z.literal(2),
  runId: z.string().min(1),
  /** The run instance's nonce (see `run-instance.ts`): keys its data in the run store. Absent before #18. */
  nonce: RunNonceSchema.optional(),
  /** The run's trace, from the orchestration input (absent when telemetry was off at the run's start). */
  trace: RunTraceSchema.optional(),
  /** The workflow's name, with the trace: for the metrics' `durable_handoff.workflow`. */
  workflow: z.string().optional(),
  knownMessages: z.number().int().nonnegative(),
  /** As in the agent-turn input: user messages an earlier build's sync did not store. */
  append: z.array(TranscriptMessageSchema).optional(),
  events: z.array(WorkflowEventSchema),
  handledReplyIds: z.array(z.string()),
  output: z.object({ seq: z.number().int().positive(), timestamp: z.string(), stopReason: StopReasonSchema }),
  abandonedTurn: z
    .object({
      firstSeq: z.number().int().positive(),
      unlessCommitted: z.array(z.number().int().positive()),
    })
    .optional(),
});
export type FinishRunInput = z.infer<typeof FinishRunInputSchema>;

/** The finish input of builds before #12: user messages apart from the events. */
export const LegacyFinishRunInputSchema = z.object({
  runId: z.string().min(1),
  knownMessages: z.number().int().nonnegative(),
  append: z.array(TranscriptMessageSchema),
  events: z.array(WorkflowEventSchema),
  handledReplyIds: z.array(z.string()),
  output: z.object({ seq: z.number().int().positive(), timestamp: z.string(), stopReason: StopReasonSchema }),
});
export type LegacyFinishRunInput = z.infer<typeof LegacyFinishRunInputSchema>;

/**
 * `committedTurn`: the abandoned turn had written its events, and counts (its agent's usage).
 * Results of earlier builds (`{ transcript }`) parse to `{}`.
 */
export const FinishRunOutputSchema = z.object({
  /**
   * `paused`: the turn had stopped for approvals, so it is not a done turn (its usage counts).
   * `closedRun`: the turn had ended the run and stored its closing events (see `run-closing.ts`)
   * before the run stopped for another reason: the run ended as the turn says, and the finish
   * stored no closing events of its own.
   */
  committedTurn: z
    .object({
      usage: TokenUsageSchema,
      paused: z.literal(true).optional(),
      closedRun: z.literal(true).optional(),
    })
    .optional(),
});
export type FinishRunOutput = z.infer<typeof FinishRunOutputSchema>;

/** `handoffFinishRun`: records a run's last events. */
export const finishRunActivity = defineActivity(
  'handoffFinishRun',
  z.union([FinishRunInputSchema, LegacyFinishRunInputSchema]),
  FinishRunOutputSchema,
);
