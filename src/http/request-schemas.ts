import { z } from 'zod';
import { InteractionModeSchema } from '../core/events';
import { MAX_MESSAGE_LENGTH, RunIdSchema, type StartRunOptions } from '../core/run-input';

const message = z
  .string({ error: 'message must be a string' })
  .refine((text) => text.trim() !== '', 'message must not be empty')
  .refine(
    (text) => text.length <= MAX_MESSAGE_LENGTH,
    `message must be at most ${MAX_MESSAGE_LENGTH} characters`,
  );

/** Body of `POST /api/workflows/{name}/run`. Unknown fields are rejected, so typos do not pass silently. */
export const StartRunBodySchema = z.strictObject({
  message,
  mode: InteractionModeSchema.optional(),
  runId: RunIdSchema.optional(),
}) satisfies z.ZodType<StartRunOptions>;

/** Body of `POST /api/workflows/{name}/respond/{runId}`. */
export const RespondBodySchema = z.strictObject({
  message,
  requestId: z.string().min(1).max(128).optional(),
});
export type RespondBody = z.infer<typeof RespondBodySchema>;

/** `?after=N` of the events endpoint. */
export const AfterSchema = z.coerce.number().int().nonnegative().max(9_999_999_999);
