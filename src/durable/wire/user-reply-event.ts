import { z } from 'zod';
import { defineExternalEvent } from './define-activity';

/** Longest reply accepted, in characters (32 KiB of text). */
export const MAX_REPLY_LENGTH = 32 * 1024;

/** The human's reply to a `request_info`, raised as the external event `user_reply`. */
export const UserReplySchema = z.object({
  /** Unique per reply; de-duplicates a reply seen both live and from the store after a continue-as-new. */
  replyId: z.string().min(1).max(128),
  /** The request answered; absent means "the request that is open when the run reads it". */
  requestId: z.string().min(1).max(128).optional(),
  message: z.string().min(1).max(MAX_REPLY_LENGTH),
});
export type UserReply = z.infer<typeof UserReplySchema>;

/** `user_reply`: defined once for the sender (HTTP respond, client) and the orchestrator. */
export const userReplyEvent = defineExternalEvent('user_reply', UserReplySchema);
