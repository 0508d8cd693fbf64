import { z } from 'zod';
import { InteractionModeSchema } from '../core/events';
import { MAX_MESSAGE_LENGTH, RunIdSchema, type StartRunOptions } from '../core/run-input';
import { ApiError } from './http-error';

const message = z
  .string({ error: 'message must be a string' })
  .refine((text) => text.trim() !== '', 'message must not be empty')
  .refine(
    (text) => text.length <= MAX_MESSAGE_LENGTH,
    `message must be at most ${MAX_MESSAGE_LENGTH} characters`,
  );

/**
 * Refuses a message longer than the app allows (`DURABLE_HANDOFF_MAX_MESSAGE_CHARS`, at most the
 * 32 KiB every message is held to).
 */
export function assertMessageLength(text: string, maxChars: number | undefined): void {
  if (maxChars === undefined || text.length <= maxChars) return;
  throw new ApiError(
    400,
    'invalid_request',
    `message is ${text.length} characters; this app accepts at most ${maxChars} (DURABLE_HANDOFF_MAX_MESSAGE_CHARS).`,
  );
}

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

/**
 * `?after=N` (or `Last-Event-ID`) of the events endpoint: a canonical decimal integer, 0 to
 * 9999999999. `Number()` alone would also take `0x10`, `1e3`, ` 7 ` or `+5`, so two spellings of one
 * position would pass (and caches and logs would disagree about which position was asked for).
 */
export const AfterSchema = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,9})$/, 'must be a decimal integer without sign, spaces or leading zeros')
  .transform(Number);
