import type { HttpRequest, InvocationContext } from '@azure/functions';
import { apiServices, type ApiServices } from './api-services';
import { authorizeRunAccess } from './run-access';
import { durableRunClient, type RunManagementClient } from './run-management-client';
import { loadRun, type RunView } from './run-view';

/** A run-scoped request after its checks: the caller may access the run, and the run exists. */
export interface OpenedRun {
  view: RunView;
  client: RunManagementClient;
  services: ApiServices;
}

/**
 * The common start of every run-scoped route: check the credentials first (so an unauthenticated
 * caller learns nothing about which runs exist), then load the run under the route's workflow.
 */
export async function openRun(
  request: HttpRequest,
  context: InvocationContext,
  client: RunManagementClient = durableRunClient(context),
): Promise<OpenedRun> {
  const services = apiServices((message) => context.warn(message));
  const workflow = request.params.name ?? '';
  const runId = request.params.runId ?? '';
  await authorizeRunAccess(request, runId, services.tokens, services.keys);
  return { view: await loadRun(client, workflow, runId), client, services };
}
