/**
 * The answer preview of the turn an agent is running: what the model has written so far, by the
 * attempt that is writing it. One per run at a time (a run runs one turn at a time); an attempt
 * replaces it as its text grows, and the turn's commit removes it.
 */
import { z } from 'zod';

export const TurnPreviewSchema = z.object({
  /** The `seq` of the turn's first event: which turn this is, in the run's event log. */
  firstSeq: z.number().int().positive(),
  agent: z.string().min(1),
  /** The run's agent turn (1-based). */
  turn: z.number().int().positive(),
  /** The attempt writing it (1 for the first); each retried attempt takes the next number. */
  attempt: z.number().int().positive(),
  /** The answer so far; it only grows within one attempt. */
  text: z.string(),
});
export type TurnPreview = z.infer<typeof TurnPreviewSchema>;

/** The stored preview and its version (an ETag): a writer replaces only the version it read. */
export interface StoredPreview {
  preview: TurnPreview;
  version: string;
}
