import { z } from 'zod';
import { defineExternalEvent } from './define-activity';

/** Longest reply accepted, in characters (32 KiB of text). */
export const MAX_REPLY_LENGTH = 32 * 1024;

/** Longest reason of an approval answer, in characters. */
export const MAX_REASON_LENGTH = 2000;

/** The human's answer to a `tool_approval` request: approve, or reject (with a reason the model reads). */
export const ApprovalSchema = z.object({
  approved: z.boolean(),
  reason: z.string().max(MAX_REASON_LENGTH).optional(),
});
export type Approval = z.infer<typeof ApprovalSchema>;

const replyId = z.string().min(1).max(128);
const requestId = z.string().min(1).max(128);

/**
 * The human's answer to a `request_info`, raised as the external event `user_reply`: a message (a
 * `reply` request) or an approval (a `tool_approval` request, which it must name).
 */
export const UserReplySchema = z.union([
  z.object({
    /** Unique per reply; de-duplicates a reply seen both live and from the store after a continue-as-new. */
    replyId,
    /** The request answered; absent means "the request that is open when the run reads it". */
    requestId: requestId.optional(),
    message: z.string().min(1).max(MAX_REPLY_LENGTH),
  }),
  z.object({ replyId, requestId, approval: ApprovalSchema }),
]);
export type UserReply = z.infer<typeof UserReplySchema>;

/** `user_reply`: defined once for the sender (HTTP respond, client) and the orchestrator. */
export const userReplyEvent = defineExternalEvent('user_reply', UserReplySchema);
