/** `GET /api/workflows/{name}/status/{runId}`: where a run stands, with its clean conversation. */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { conversationFromEvents } from '../http/conversation-view';
import { openRun } from '../http/open-run';
import { withApiErrors } from '../http/with-api-errors';

/** The run's state, active agent, turn, open request and clean conversation. */
export async function getRunStatus(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const { view, services } = await openRun(request, context);
  const conversation = conversationFromEvents(await services.store.readEvents(view.runId, 0));
  const status = view.status;
  return {
    headers: { 'cache-control': 'no-store' },
    jsonBody: {
      runId: view.runId,
      workflow: view.workflow,
      state: view.state,
      activeAgent: view.activeAgent,
      turn: view.output?.turns ?? status?.turn ?? 0,
      pendingRequest: view.state === 'awaiting_input' ? (status?.pendingRequest ?? null) : null,
      conversation,
      ...(view.stopReason ? { stopReason: view.stopReason } : {}),
      ...(view.error ? { error: view.error } : {}),
    },
  };
}

/** Registers `GET /api/workflows/{name}/status/{runId}`. */
export function registerGetRunStatus(): void {
  app.http('getRunStatus', {
    route: 'workflows/{name}/status/{runId}',
    methods: ['GET'],
    authLevel: 'anonymous',
    extraInputs: [df.input.durableClient()],
    handler: withApiErrors(getRunStatus),
  });
}
