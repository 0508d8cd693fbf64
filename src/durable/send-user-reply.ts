import { randomUUID } from 'node:crypto';
import type { RunClient } from './run-client';
import type { RunStore } from './store/run-store';
import { userReplyEvent, type UserReply } from './wire/user-reply-event';

/**
 * Sends the human's reply to a run: stores it first, then raises `user_reply`. The stored copy is what
 * makes a reply survive a `continueAsNew` that drops the live event (see ARCHITECTURE.md).
 *
 * @returns the reply id.
 */
export async function sendUserReply(
  client: RunClient,
  store: RunStore,
  runId: string,
  reply: { message: string; requestId?: string },
  now: Date = new Date(),
): Promise<string> {
  const payload: UserReply = userReplyEvent.payload.parse({
    replyId: randomUUID(),
    message: reply.message,
    ...(reply.requestId !== undefined ? { requestId: reply.requestId } : {}),
  });
  await store.saveReply(runId, { ...payload, receivedAt: now.toISOString() });
  await client.raiseEvent(runId, userReplyEvent.name, payload);
  return payload.replyId;
}
