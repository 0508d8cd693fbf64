/**
 * Checks replies at run time: responders and JavaScript callers can return anything, and a typo in
 * a script should fail with a message that says what a reply may look like, not a stack trace.
 */
import { z } from 'zod';
import type { ScriptReply } from './script-types';

const ToolCallSchema = z.strictObject({
  name: z.string().min(1),
  arguments: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  id: z.string().min(1).optional(),
});

const StreamOptionsSchema = z.strictObject({
  chunkDelayMs: z.number().int().nonnegative().optional(),
  resetAfterChunks: z.number().int().nonnegative().optional(),
  hangAfterChunks: z.number().int().nonnegative().optional(),
  whole: z.boolean().optional(),
});

const MessageReplySchema = z
  .strictObject({
    text: z.string().optional(),
    toolCalls: z.array(ToolCallSchema).optional(),
    finishReason: z.string().min(1).optional(),
    stream: StreamOptionsSchema.optional(),
  })
  .refine((reply) => reply.text !== undefined || (reply.toolCalls?.length ?? 0) > 0, {
    error: 'a message reply needs `text` or at least one tool call',
  });

const StatusReplySchema = z.strictObject({
  status: z.number().int().min(200).max(599),
  body: z.unknown().optional(),
  headers: z.record(z.string(), z.string()).optional(),
});

const DelayReplySchema = z.strictObject({
  delayMs: z.number().int().nonnegative(),
  get then(): z.ZodType<ScriptReply> {
    return ScriptReplySchema;
  },
});

/** Any scripted reply. */
export const ScriptReplySchema: z.ZodType<ScriptReply> = z.union([
  MessageReplySchema,
  StatusReplySchema,
  DelayReplySchema,
  z.strictObject({ reset: z.literal(true) }),
  z.strictObject({ hang: z.literal(true) }),
]);

/** The shapes a reply may take, for error messages. */
export const REPLY_SHAPES =
  '{ text?, toolCalls?: [{ name, arguments?, id? }], finishReason?, stream?: { chunkDelayMs?, resetAfterChunks?, hangAfterChunks?, whole? } } | { status, body?, headers? } | ' +
  '{ delayMs, then } | { reset: true } | { hang: true }';

/** The reply if valid, else a sentence that says why not and what is allowed. */
export function checkReply(
  value: unknown,
): { ok: true; reply: ScriptReply } | { ok: false; problem: string } {
  const parsed = ScriptReplySchema.safeParse(value);
  if (parsed.success) return { ok: true, reply: parsed.data };
  let shown: string;
  try {
    shown = JSON.stringify(value) ?? String(value);
  } catch {
    shown = String(value);
  }
  return {
    ok: false,
    problem: `invalid scripted reply ${shown.slice(0, 200)}: a reply is one of ${REPLY_SHAPES}`,
  };
}
