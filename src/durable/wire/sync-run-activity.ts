import { z } from 'zod';
import { WorkflowEventSchema } from '../../core/events';
import { TranscriptMessageSchema } from '../../core/messages';
import { StoredReplySchema } from '../store/run-store';
import { defineActivity } from './define-activity';
import { RunNonceSchema } from './run-instance';
import { RunTraceSchema } from './run-trace';

/**
 * Persists events (and the user messages among them, after `knownMessages`) and handled-reply
 * marks; with `loadReplies`, returns replies not yet handled. Inputs of earlier builds have no
 * `knownMessages`: their syncs stored events only.
 */
export const SyncRunInputSchema = z.object({
  runId: z.string().min(1),
  /** The run instance's nonce (see `run-instance.ts`): keys its data in the run store. Absent before #18. */
  nonce: RunNonceSchema.optional(),
  /** The run's trace (absent when telemetry was off at the run's start). */
  trace: RunTraceSchema.optional(),
  /** The workflow's name, with the trace: for the metrics' `durable_handoff.workflow`. */
  workflow: z.string().optional(),
  events: z.array(WorkflowEventSchema),
  handledReplyIds: z.array(z.string()),
  loadReplies: z.boolean(),
  knownMessages: z.number().int().nonnegative().optional(),
  /** As in the agent-turn input: user messages an earlier build's sync did not store. */
  append: z.array(TranscriptMessageSchema).optional(),
});
export type SyncRunInput = z.infer<typeof SyncRunInputSchema>;

/** `storedMessages`: the sync stored the user messages it was handed (absent from earlier builds' results). */
export const SyncRunOutputSchema = z.object({
  replies: z.array(StoredReplySchema),
  storedMessages: z.literal(true).optional(),
});
export type SyncRunOutput = z.infer<typeof SyncRunOutputSchema>;

/** `handoffSyncRun`: makes the run's events visible before a wait and at the start of a generation. */
export const syncRunActivity = defineActivity('handoffSyncRun', SyncRunInputSchema, SyncRunOutputSchema);
