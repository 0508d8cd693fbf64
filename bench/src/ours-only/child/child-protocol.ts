/**
 * What an ours-only child process is asked (its command line) and answers (one IPC message),
 * defined once with zod and validated on arrival.
 */
import { z } from 'zod';
import { OURS_ONLY_FIGURE_IDS } from '../ours-only-figures';

/** The tasks a child can do. */
export const CHILD_TASKS = ['long-conversation', 'cost-split'] as const;
/** A child task. */
export type ChildTask = (typeof CHILD_TASKS)[number];

/** The task's options, passed as JSON in the child's second argument. */
export const ChildOptionsSchema = z.object({
  rounds: z.object({ warmup: z.number().int().nonnegative(), runs: z.number().int().positive() }),
  /** The runner's model server, for tasks that run against it (cost split). */
  model: z.object({ baseUrl: z.string().url(), apiKey: z.string(), model: z.string() }).optional(),
});
/** Options of a child task. */
export type ChildOptions = z.infer<typeof ChildOptionsSchema>;

const SamplesSchema = z.object({
  figure: z.enum(OURS_ONLY_FIGURE_IDS),
  framework: z.string(),
  samples: z.array(z.number()).min(1),
  note: z.string().optional(),
});

/** The child's one message. */
export const ChildReplySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('done'), samples: z.array(SamplesSchema) }),
  z.object({ type: z.literal('failed'), message: z.string() }),
]);
/** The child's answer. */
export type ChildReply = z.infer<typeof ChildReplySchema>;
