import { z } from 'zod';

/** The JSON form of a `DurableHandoffError` (see `SerializedError`), as it crosses the activity boundary. */
export const SerializedErrorSchema = z.object({
  marker: z.literal('durable-handoff.error'),
  name: z.string(),
  code: z.string(),
  message: z.string(),
  isRetryable: z.boolean(),
  statusCode: z.number().int().optional(),
  retryAfterMs: z.number().nonnegative().optional(),
});
