import { randomUUID } from 'node:crypto';
import type { RunClient } from './run-client';
import type { RunStore } from './store/run-store';
import { OrchestrationInputSchema } from './wire/orchestration-input';
import { runStoreKey } from './wire/run-instance';
import { RunStatusSchema } from './wire/run-status';
import { userReplyEvent, type UserReply } from './wire/user-reply-event';

/** What the human answers: a message for a `reply` request, an approval for a `tool_approval` request. */
export type HumanReply =
  | { message: string; requestId?: string }
  | { approval: { approved: boolean; reason?: string }; requestId: string };

/** A reply ready to send: its payload, with a new reply id. */
export function newReply(reply: HumanReply): UserReply {
  return userReplyEvent.payload.parse({
    replyId: randomUUID(),
    ...('approval' in reply ? { approval: reply.approval } : { message: reply.message }),
    ...(reply.requestId !== undefined ? { requestId: reply.requestId } : {}),
  });
}

/** Stores the reply under the run instance's store key, then raises it as the `user_reply` event. */
async function storeAndRaiseReply(
  client: RunClient,
  store: RunStore,
  run: { runId: string; storeKey: string },
  payload: UserReply,
  now: Date = new Date(),
): Promise<void> {
  await store.saveReply(run.storeKey, { ...payload, receivedAt: now.toISOString() });
  await client.raiseEvent(run.runId, userReplyEvent.name, payload);
}

/** The run store key of `runId`'s current instance, read from its status when the client can. */
async function storeKeyOf(client: RunClient, runId: string): Promise<string> {
  const status = client.getStatus ? await client.getStatus(runId, { showInput: true }) : undefined;
  const custom = RunStatusSchema.safeParse(status?.customStatus);
  const nonce = custom.success
    ? custom.data.nonce
    : OrchestrationInputSchema.safeParse(status?.input).data?.nonce;
  return runStoreKey({ runId, nonce });
}

/**
 * Sends the human's reply to a run: stores it first, then raises `user_reply`. The stored copy is what
 * makes a reply survive a `continueAsNew` that drops the live event (see ARCHITECTURE.md). The run's
 * data is kept per run instance: the run's status is read (`client.getStatus`) to find where.
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
  const payload = newReply(reply);
  await storeAndRaiseReply(client, store, { runId, storeKey: await storeKeyOf(client, runId) }, payload, now);
  return payload.replyId;
}
