import { randomUUID } from 'node:crypto';
import type { RunClient } from './run-client';
import type { RunStore } from './store/run-store';
import { userReplyEvent, type UserReply } from './wire/user-reply-event';

/** What the human answers: a message for a `reply` request, an approval for a `tool_approval` request. */
export type HumanReply =
  | { message: string; requestId?: string }
  | { approval: { approved: boolean; reason?: string }; requestId: string };

/**
 * Sends the human's reply to a run: stores it first, then raises `user_reply`. The stored copy is what
 * makes a reply survive a `continueAsNew` that drops the live event (see ARCHITECTURE.md).
 *
 * @example
 * await sendUserReply(client, store, runId, { message: 'Order #12345', requestId });
 * await sendUserReply(client, store, runId, { approval: { approved: false, reason: 'Too much' }, requestId });
 * @returns the reply id.
 */
export async function sendUserReply(
  client: RunClient,
  store: RunStore,
  runId: string,
  reply: HumanReply,
  now: Date = new Date(),
): Promise<string> {
  const payload: UserReply = userReplyEvent.payload.parse({
    replyId: randomUUID(),
    ...('approval' in reply ? { approval: reply.approval } : { message: reply.message }),
    ...(reply.requestId !== undefined ? { requestId: reply.requestId } : {}),
  });
  await store.saveReply(runId, { ...payload, receivedAt: now.toISOString() });
  await client.raiseEvent(runId, userReplyEvent.name, payload);
  return payload.replyId;
}
