/** `POST /api/workflows/{name}/respond/{runId}`: the human's reply to the open request. */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { HandoffServices } from '../app/handoff-services';
import type { RespondResponse } from '../client/api-schemas';
import { sendUserReply } from '../durable/send-user-reply';
import type { RunStore } from '../durable/store/run-store';
import { ApiError } from '../http/http-error';
import { openRun, type RunRouteDeps } from '../http/open-run';
import { durableRunClient } from '../http/run-management-client';
import { readJsonBody } from '../http/read-json-body';
import { RespondBodySchema } from '../http/request-schemas';
import { isFinished } from '../core/events';
import { withApiErrors } from '../http/with-api-errors';

/**
 * Sends the reply (a message, or an approval) as the `user_reply` event; 409 when the run is not
 * waiting for this reply, or waits for the other kind (a message to a tool approval, or the reverse).
 */
export async function respondToRun(
  request: HttpRequest,
  _context: InvocationContext,
  deps: RunRouteDeps & { store: RunStore },
): Promise<HttpResponseInit> {
  const view = await openRun(request, deps);
  const body = await readJsonBody(
    request,
    RespondBodySchema,
    '{"message": "Yes, order #12345", "requestId": "<from request_info>"} or, to answer a tool approval, ' +
      '{"requestId": "<from request_info>", "approval": {"approved": false, "reason": "Too much"}}',
  );
  if (isFinished(view.state)) {
    throw new ApiError(
      409,
      'run_finished',
      `The run has ended (state '${view.state}'); it takes no more replies.`,
      {
        state: view.state,
      },
    );
  }
  const pending = view.state === 'awaiting_input' ? view.status?.pendingRequest : null;
  if (!pending) {
    throw new ApiError(
      409,
      'not_awaiting_input',
      `The run is not waiting for input (state '${view.state}'); wait for a request_info event.`,
      {
        state: view.state,
      },
    );
  }
  if (body.requestId !== undefined && body.requestId !== pending.requestId) {
    throw new ApiError(
      409,
      'stale_request',
      `Request '${body.requestId}' is not the open request; the open request is '${pending.requestId}'.`,
      {
        state: view.state,
        pendingRequestId: pending.requestId,
      },
    );
  }
  if (pending.kind === 'tool_approval' && !('approval' in body)) {
    throw new ApiError(
      409,
      'approval_expected',
      `Request '${pending.requestId}' asks to approve or reject a call of ${pending.tool?.name ?? 'a tool'}; ` +
        'send {"requestId", "approval": {"approved": true|false, "reason"?}} instead of a message.',
      { state: view.state, pendingRequestId: pending.requestId },
    );
  }
  if (pending.kind !== 'tool_approval' && 'approval' in body) {
    throw new ApiError(
      409,
      'reply_expected',
      `Request '${pending.requestId}' asks for a reply, not an approval; send {"message", "requestId"?}.`,
      { state: view.state, pendingRequestId: pending.requestId },
    );
  }
  const replyId = await sendUserReply(
    deps.client,
    deps.store,
    view.runId,
    'approval' in body
      ? { approval: body.approval, requestId: pending.requestId }
      : { message: body.message, requestId: pending.requestId },
  );
  return {
    status: 202,
    headers: { 'cache-control': 'no-store' },
    jsonBody: { runId: view.runId, requestId: pending.requestId, replyId } satisfies RespondResponse,
  };
}

/** Registers `POST /api/workflows/{name}/respond/{runId}`. */
export function registerRespondToRun(services: HandoffServices): void {
  app.http('respondToRun', {
    route: 'workflows/{name}/respond/{runId}',
    methods: ['POST'],
    authLevel: 'anonymous',
    extraInputs: [df.input.durableClient()],
    handler: withApiErrors((request, context) =>
      respondToRun(request, context, {
        client: durableRunClient(context),
        tokens: services.tokens(context),
        keys: services.keys(),
        store: services.store(),
      }),
    ),
  });
}
