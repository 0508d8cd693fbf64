import { z } from 'zod';
import { InteractionModeSchema } from '../core/events';
import { MAX_MESSAGE_LENGTH, RunIdSchema, type StartRunOptions } from '../core/run-input';
import { MAX_REASON_LENGTH } from '../durable/wire/user-reply-event';
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
  // `interactive` is the Agent Framework article's name for human_in_loop; the builder takes it too.
  mode: z
    .preprocess((mode) => (mode === 'interactive' ? 'human_in_loop' : mode), InteractionModeSchema)
    .optional(),
  runId: RunIdSchema.optional(),
}) satisfies z.ZodType<StartRunOptions>;

const approval = z.strictObject(
  {
    approved: z.boolean({ error: 'approval.approved must be true or false' }),
    reason: z
      .string({ error: 'approval.reason must be a string' })
      .max(MAX_REASON_LENGTH, `approval.reason must be at most ${MAX_REASON_LENGTH} characters`)
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? 'approval takes approved and reason only' : undefined,
  },
);

/**
 * Body of `POST /api/workflows/{name}/respond/{runId}`: a message for a `reply` request, or an
 * approval for a `tool_approval` request, which must name the request (so nobody approves a call
 * other than the one they saw).
 */
const ReplyBodySchema = z.strictObject({ message, requestId: z.string().min(1).max(128).optional() });
const ApprovalBodySchema = z.strictObject({
  requestId: z.string({ error: 'an approval must name its requestId' }).min(1).max(128),
  approval,
});
export const RespondBodySchema = z.unknown().transform((body, ctx) => {
  // Which shape is meant is plain from the body; its problems are reported against that shape only.
  const meant =
    typeof body === 'object' && body !== null && 'approval' in body ? ApprovalBodySchema : ReplyBodySchema;
  const parsed = meant.safeParse(body);
  if (parsed.success) return parsed.data;
  ctx.issues.push(...parsed.error.issues.map((issue) => ({ ...issue, input: undefined })));
  return z.NEVER;
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
