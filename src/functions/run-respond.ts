/** `POST /api/workflows/{name}/respond/{runId}`: the human's reply to the open request. */
import { randomUUID } from 'node:crypto';
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import type { HandoffServices } from '../app/handoff-services';
import { apiRoute } from './api-route';
import type { RespondResponse } from '../client/api-schemas';
import { newReply } from '../durable/send-user-reply';
import { userReplyEvent } from '../durable/wire/user-reply-event';
import type { RunStore } from '../durable/store/run-store';
import { ApiError } from '../http/http-error';
import { openRun, type RunRouteDeps } from '../http/open-run';
import { durableRunClient } from '../http/run-management-client';
import { readJsonBody } from '../http/read-json-body';
import { assertMessageLength, RespondBodySchema } from '../http/request-schemas';
import { isFinished } from '../core/events';
import { durableClientInput } from './durable-bindings';

/**
 * Stores the reply (a message, or a tool approval), then sends it as the `user_reply` event; 409
 * when the run is not waiting for this reply, or waits for the other kind (a message to a tool
 * approval: `approval_expected`; an approval to a question: `reply_expected`). Of two replies to one open request, the first to claim it (in the run store,
 * atomically, on any instance) is sent; the other is kept as superseded (a record, never sent) and
 * answered 409 `reply_superseded`, naming the reply that won. A reply refused because the run has
 * ended, does not wait, or waits for another request is kept too, with why (every 409 names it).
 */
export async function respondToRun(
  request: HttpRequest,
  context: InvocationContext,
  deps: RunRouteDeps & { store: RunStore; maxMessageChars?: number | undefined },
): Promise<HttpResponseInit> {
  const view = await openRun(request, deps);
  const body = await readJsonBody(
    request,
    RespondBodySchema,
    '{"message": "Yes, order #12345", "requestId": "<from request_info>"} or, to answer a tool approval, ' +
      '{"requestId": "<from request_info>", "approval": {"approved": false, "reason": "Too much"}}',
  );
  if ('message' in body) assertMessageLength(body.message, deps.maxMessageChars);
  const answer = 'approval' in body ? { approval: body.approval } : { message: body.message };
  const receivedAt = new Date().toISOString();
  // A reply the run will not take is still kept, as a record (never sent), and its id is in the answer.
  const refuse = async (
    code: 'run_finished' | 'not_awaiting_input' | 'stale_request' | 'approval_expected' | 'reply_expected',
    message: string,
    details: Record<string, unknown>,
  ): Promise<never> => {
    const replyId = randomUUID();
    await deps.store.saveReply(
      view.storeKey,
      'approval' in body
        ? { replyId, approval: body.approval, requestId: body.requestId, receivedAt, refused: code }
        : {
            replyId,
            message: body.message,
            ...(body.requestId === undefined ? {} : { requestId: body.requestId }),
            receivedAt,
            refused: code,
          },
    );
    throw new ApiError(409, code, message, { state: view.state, ...details, replyId });
  };
  if (isFinished(view.state)) {
    return refuse('run_finished', `The run has ended (state '${view.state}'); it takes no more replies.`, {});
  }
  const pending = view.state === 'awaiting_input' ? view.status?.pendingRequest : null;
  if (!pending) {
    return refuse(
      'not_awaiting_input',
      `The run is not waiting for input (state '${view.state}'); wait for a request_info event.`,
      {},
    );
  }
  if (body.requestId !== undefined && body.requestId !== pending.requestId) {
    return refuse(
      'stale_request',
      `Request '${body.requestId}' is not the open request; the open request is '${pending.requestId}'.`,
      { pendingRequestId: pending.requestId },
    );
  }
  if (pending.kind === 'tool_approval' && !('approval' in body)) {
    return refuse(
      'approval_expected',
      `Request '${pending.requestId}' asks to approve or reject a call of ${pending.tool?.name ?? 'a tool'}; ` +
        'send {"requestId", "approval": {"approved": true|false, "reason"?}} instead of a message.',
      { pendingRequestId: pending.requestId },
    );
  }
  if (pending.kind !== 'tool_approval' && 'approval' in body) {
    return refuse(
      'reply_expected',
      `Request '${pending.requestId}' asks for a reply, not an approval; send {"message", "requestId"?}.`,
      { pendingRequestId: pending.requestId },
    );
  }
  const reply = newReply({ ...answer, requestId: pending.requestId });
  const replyId = reply.replyId;
  // Stored before it claims the request: whichever reply holds the claim can be found, and sent
  // again, by a later one (see below).
  await deps.store.saveReply(view.storeKey, { ...reply, receivedAt });
  const winner = await deps.store.claimRequest(view.storeKey, pending.requestId, replyId);
  if (winner !== replyId) {
    await deps.store.saveReply(view.storeKey, { ...reply, receivedAt, supersededBy: winner });
    // The winner may never have been raised (its sender crashed, or its answer was lost and this is
    // the client's retry): if the run has not handled it, raise it again. The run drops a reply id
    // it has seen, so this is harmless when the first raise did arrive.
    const unsent = (await deps.store.unhandledReplies(view.storeKey)).find((r) => r.replyId === winner);
    if (unsent) {
      await deps.client.raiseEvent(
        view.runId,
        userReplyEvent.name,
        userReplyEvent.payload.parse({
          replyId: unsent.replyId,
          ...('approval' in unsent ? { approval: unsent.approval } : { message: unsent.message }),
          ...(unsent.requestId === undefined ? {} : { requestId: unsent.requestId }),
        }),
      );
    }
    context.log(
      `Reply ${replyId} to request '${pending.requestId}' of run '${view.runId}' lost to reply ${winner}.`,
    );
    throw new ApiError(
      409,
      'reply_superseded',
      `Request '${pending.requestId}' was already answered by reply '${winner}'; this reply was recorded but not sent to the run. Wait for the next request_info event.`,
      { state: view.state, requestId: pending.requestId, replyId, acceptedReplyId: winner },
    );
  }
  await deps.client.raiseEvent(view.runId, userReplyEvent.name, reply);
  return {
    status: 202,
    headers: { 'cache-control': 'no-store' },
    jsonBody: { runId: view.runId, requestId: pending.requestId, replyId } satisfies RespondResponse,
  };
}

/** Registers `POST /api/workflows/{name}/respond/{runId}`. */
export function registerRespondToRun(services: HandoffServices): void {
  const route = 'workflows/{name}/respond/{runId}';
  app.http('respondToRun', {
    route,
    methods: ['POST', 'OPTIONS'],
    authLevel: 'anonymous',
    extraInputs: [durableClientInput()],
    handler: apiRoute(services, route, (request, context) =>
      respondToRun(request, context, {
        client: durableRunClient(context),
        tokens: services.tokens(context),
        keys: services.keys(),
        store: services.store(),
        maxMessageChars: services.access().maxMessageChars,
      }),
    ),
  });
}
