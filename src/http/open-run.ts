import type { HttpRequest } from '@azure/functions';
import type { FunctionKeyValidator } from './key-check';
import { assertTokenFitsRun, authorizeRunAccess } from './run-access';
import type { RunManagementClient } from './run-management-client';
import type { RunTokens } from './run-token';
import { loadRun, type RunView } from './run-view';
import { linkRequestToRun } from '../telemetry/api-request-span';

/** What a run-scoped route checks credentials with and reads the run through. */
export interface RunRouteDeps {
  client: RunManagementClient;
  tokens: RunTokens;
  keys: FunctionKeyValidator;
}

/**
 * The common start of every run-scoped route: check the credentials first (so an unauthenticated
 * caller learns nothing about which runs exist), then load the run under the route's workflow, then
 * check that a token fits the run instance it finds (not an earlier run of the id, not revoked).
 * The run's status is read once, by the load: binding a token to its instance costs no extra read.
 */
export async function openRun(request: HttpRequest, deps: RunRouteDeps): Promise<RunView> {
  const workflow = request.params.name ?? '';
  const runId = request.params.runId ?? '';
  const access = await authorizeRunAccess(request, runId, deps.tokens, deps.keys);
  const view = await loadRun(deps.client, workflow, runId);
  assertTokenFitsRun(access, view, deps.tokens.lifetimes, deps.tokens.now());
  linkRequestToRun(request, view);
  return view;
}
