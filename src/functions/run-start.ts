/** `POST /api/workflows/{name}/run`: starts a run. */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { HandoffServices } from '../app/handoff-services';
import type { RunHandle } from '../client/api-schemas';
import { startHandoffRun } from '../durable/start-handoff-run';
import { ApiError } from '../http/http-error';
import { readJsonBody } from '../http/read-json-body';
import { StartRunBodySchema } from '../http/request-schemas';
import { durableRunClient, type RunManagementClient } from '../http/run-management-client';
import { runLinks } from '../http/run-links';
import type { RunTokens } from '../http/run-token';
import { withApiErrors } from '../http/with-api-errors';
import type { WorkflowSource } from '../durable/workflow-source';
import { startAuthLevel } from '../http/start-auth-level';

/** What {@link startRun} needs. */
export interface StartRunDeps {
  workflows: WorkflowSource;
  client: RunManagementClient;
  tokens: RunTokens;
  /** The app's route prefix, for the run's links. */
  routePrefix: string;
}

/** Starts a run of the route's workflow; answers 202 with the run id, its token and its URLs. */
export async function startRun(
  request: HttpRequest,
  _context: InvocationContext,
  deps: StartRunDeps,
): Promise<HttpResponseInit> {
  const name = request.params.name ?? '';
  if (!deps.workflows.has(name)) {
    const known = deps.workflows.list().map((w) => w.name);
    throw new ApiError(
      404,
      'workflow_not_found',
      `No workflow '${name.slice(0, 100)}'. Workflows: ${known.join(', ')}.`,
    );
  }
  const body = await readJsonBody(
    request,
    StartRunBodySchema,
    '{"message": "I never received my order #12345"}',
  );
  if (body.runId !== undefined && (await deps.client.getStatus(body.runId))) {
    throw new ApiError(
      409,
      'run_exists',
      `A run with id '${body.runId}' already exists; choose another runId or omit it.`,
    );
  }
  let runId: string;
  try {
    runId = await startHandoffRun(deps.client, deps.workflows.get(name), {
      message: body.message,
      ...(body.mode ? { mode: body.mode } : {}),
      ...(body.runId ? { runId: body.runId } : {}),
    });
  } catch (error) {
    // Two starts with the same id racing: Durable refuses the second one.
    if (body.runId !== undefined && (await deps.client.getStatus(body.runId))) {
      throw new ApiError(
        409,
        'run_exists',
        `A run with id '${body.runId}' already exists; choose another runId or omit it.`,
      );
    }
    throw error;
  }
  const links = runLinks(request.url, deps.routePrefix, name, runId);
  return {
    status: 202,
    headers: { location: links.statusUri, 'cache-control': 'no-store' },
    jsonBody: { runId, workflow: name, token: deps.tokens.issue(runId), ...links } satisfies RunHandle,
  };
}

/** Registers `POST /api/workflows/{name}/run`. */
export function registerStartRun(services: HandoffServices): void {
  app.http('startRun', {
    route: 'workflows/{name}/run',
    methods: ['POST'],
    authLevel: startAuthLevel(),
    extraInputs: [df.input.durableClient()],
    handler: withApiErrors((request, context) =>
      startRun(request, context, {
        workflows: services.workflows,
        client: durableRunClient(context),
        tokens: services.tokens(context),
        routePrefix: services.routePrefix(),
      }),
    ),
  });
}
