/** `POST /api/workflows/{name}/terminate/{runId}`: ends a run with `stopReason: "cancelled"`. */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import type { HandoffServices } from '../app/handoff-services';
import { apiRoute } from './api-route';
import type { TerminateResponse } from '../client/api-schemas';
import { cancelRun } from '../durable/cancel-run';
import { ApiError } from '../http/http-error';
import { openRun, type RunRouteDeps } from '../http/open-run';
import { durableRunClient } from '../http/run-management-client';
import { isFinished } from '../core/events';
import { durableClientInput } from './durable-bindings';

/** Asks the run to stop; it records its closing events (status terminated, output) and ends. */
export async function terminateRun(
  request: HttpRequest,
  _context: InvocationContext,
  deps: RunRouteDeps,
): Promise<HttpResponseInit> {
  const view = await openRun(request, deps);
  if (isFinished(view.state)) {
    throw new ApiError(409, 'run_finished', `The run has already ended (state '${view.state}').`, {
      state: view.state,
    });
  }
  await cancelRun(deps.client, view.runId, 'terminated through the API');
  return {
    status: 202,
    headers: { 'cache-control': 'no-store' },
    jsonBody: { runId: view.runId, state: view.state } satisfies TerminateResponse,
  };
}

/** Registers `POST /api/workflows/{name}/terminate/{runId}`. */
export function registerTerminateRun(services: HandoffServices): void {
  const route = 'workflows/{name}/terminate/{runId}';
  app.http('terminateRun', {
    route,
    methods: ['POST', 'OPTIONS'],
    authLevel: 'anonymous',
    extraInputs: [durableClientInput()],
    handler: apiRoute(services, route, (request, context) =>
      terminateRun(request, context, {
        client: durableRunClient(context),
        tokens: services.tokens(context),
        keys: services.keys(),
      }),
    ),
  });
}
