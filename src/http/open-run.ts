import type { HttpRequest } from '@azure/functions';
import type { FunctionKeyValidator } from './key-check';
import { authorizeRunAccess } from './run-access';
import type { RunManagementClient } from './run-management-client';
import type { RunTokens } from './run-token';
import { loadRun, type RunView } from './run-view';

/** What a run-scoped route checks credentials with and reads the run through. */
export interface RunRouteDeps {
  client: RunManagementClient;
  tokens: RunTokens;
  keys: FunctionKeyValidator;
}

/**
 * The common start of every run-scoped route: check the credentials first (so an unauthenticated
 * caller learns nothing about which runs exist), then load the run under the route's workflow.
 */
export async function openRun(request: HttpRequest, deps: RunRouteDeps): Promise<RunView> {
  const workflow = request.params.name ?? '';
  const runId = request.params.runId ?? '';
  await authorizeRunAccess(request, runId, deps.tokens, deps.keys);
  return loadRun(deps.client, workflow, runId);
}
