import { z } from 'zod';
import { WorkflowEventSchema } from '../../core/events';
import { StoredReplySchema } from '../store/run-store';
import { defineActivity } from './define-activity';

/** Persists events and handled-reply marks; with `loadReplies`, returns replies not yet handled. */
export const SyncRunInputSchema = z.object({
  runId: z.string().min(1),
  events: z.array(WorkflowEventSchema),
  handledReplyIds: z.array(z.string()),
  loadReplies: z.boolean(),
});
export type SyncRunInput = z.infer<typeof SyncRunInputSchema>;

export const SyncRunOutputSchema = z.object({ replies: z.array(StoredReplySchema) });
export type SyncRunOutput = z.infer<typeof SyncRunOutputSchema>;

/** `handoffSyncRun`: makes the run's events visible before a wait and at the end of a run. */
export const syncRunActivity = defineActivity('handoffSyncRun', SyncRunInputSchema, SyncRunOutputSchema);
