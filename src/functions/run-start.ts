/** `POST /api/workflows/{name}/run`: starts a run. */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import type { HandoffServices } from '../app/handoff-services';
import { apiRoute } from './api-route';
import type { RunHandle } from '../client/api-schemas';
import { transcriptCacheOf, type TranscriptCache } from '../durable/activities/transcript-cache';
import { newRunInstance, startRunInstance } from '../durable/start-handoff-run';
import { runStoreKey } from '../durable/wire/run-instance';
import { claimRunId, type RunClaims } from '../durable/store/run-claims';
import type { WorkflowSource } from '../durable/workflow-source';
import { clientAddress } from '../http/client-address';
import { ApiError } from '../http/http-error';
import type { FunctionKeyValidator } from '../http/key-check';
import { readJsonBody } from '../http/read-json-body';
import { assertMessageLength, StartRunBodySchema } from '../http/request-schemas';
import { presentedKey } from '../http/run-access';
import { runLinks } from '../http/run-links';
import { durableRunClient, type RunManagementClient } from '../http/run-management-client';
import type { RunTokens } from '../http/run-token';
import { startAuthLevel } from '../http/start-auth-level';
import type { StartLimiter } from '../http/start-limiter';
import { linkRequestToRun, requestSpanContext } from '../telemetry/api-request-span';
import type { HandoffTelemetry } from '../telemetry/handoff-telemetry';
import { durableClientInput } from './durable-bindings';

/** What {@link startRun} needs. */
export interface StartRunDeps {
  workflows: WorkflowSource;
  client: RunManagementClient;
  /** The claims of chosen run ids: what makes two starts of one id answer 202 once. */
  claims: RunClaims;
  tokens: RunTokens;
  /** The app's route prefix, for the run's links. */
  routePrefix: string;
  /** The origin of the run's links (see `publicOrigin`); `''` for links relative to the API's origin. */
  linkOrigin?: string | undefined;
  /**
   * Whether the host already required a function key (`DURABLE_HANDOFF_START_AUTH_LEVEL=function`).
   * Otherwise a caller is anonymous unless it presents a key that `keys` accepts.
   */
  keyRequired?: boolean | undefined;
  keys?: FunctionKeyValidator | undefined;
  /** Limits on anonymous starts; none when absent. */
  limiter?: StartLimiter | undefined;
  /** How many trusted proxies append to X-Forwarded-For (see `clientAddress`). */
  clientIpHops?: number | undefined;
  /** The longest first message, in characters (at most 32 KiB). */
  maxMessageChars?: number | undefined;
  /** The app's spans and metrics: the run's trace begins here (its root span, kept in its input). */
  telemetry?: HandoffTelemetry | undefined;
  /** The clock claims are dated by (ms since 1970); `Date.now` by default. */
  now?: (() => number) | undefined;
  /**
   * This process's transcripts: a run started here is noted there before it starts, so its first
   * turn, when it runs in this process, knows no earlier attempt of it ran here.
   */
  transcripts?: TranscriptCache | undefined;
}

const RUN_EXISTS = (runId: string) =>
  new ApiError(
    409,
    'run_exists',
    `A run with id '${runId}' already exists; choose another runId or omit it.`,
  );

/**
 * 503 with Retry-After: another start holds the id and no run of it exists yet (a start under
 * way, or one cut short by a crash, whose claim lapses after `ABANDONED_CLAIM_MS`).
 */
function runStarting(runId: string, retryAfterMs: number): ApiError {
  const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new ApiError(
    503,
    'run_starting',
    `A start of run '${runId}' is under way or was cut short; no run of it exists yet. ` +
      `Retry the same start in ${retryAfterSeconds} s.`,
    undefined,
    { retryAfterSeconds },
  );
}

/** True when the caller holds a function key: the host checked one, or the caller shows one the host accepts. */
async function holdsKey(request: HttpRequest, deps: StartRunDeps): Promise<boolean> {
  if (deps.keyRequired) return true;
  const key = presentedKey(request);
  if (key === undefined || !deps.keys) return false;
  if (await deps.keys.isValid(key)) return true;
  throw new ApiError(401, 'unauthorized', 'The function key is not valid for this app.');
}

/**
 * Starts a run of the route's workflow; answers 202 with the run id, its token and its URLs.
 *
 * An anonymous caller (no function key) is held to the start limits (429 `rate_limited` with
 * `Retry-After`) and may not choose the run id: with a chosen id, "409 run_exists" would tell
 * anyone which ids are taken (an order number, a ticket id...). Key holders may.
 */
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
  const trusted = await holdsKey(request, deps);
  if (!trusted && deps.limiter) {
    const allowance = deps.limiter.take(clientAddress(request, deps.clientIpHops ?? 0), name);
    if (!allowance.allowed) {
      throw new ApiError(
        429,
        'rate_limited',
        allowance.scope === 'client'
          ? `Too many runs started from this address; try again in ${allowance.retryAfterSeconds} s (DURABLE_HANDOFF_START_LIMIT_PER_CLIENT).`
          : `Too many runs of '${name}' started; try again in ${allowance.retryAfterSeconds} s (DURABLE_HANDOFF_START_LIMIT_PER_WORKFLOW).`,
        undefined,
        { retryAfterSeconds: allowance.retryAfterSeconds },
      );
    }
  }
  const body = await readJsonBody(
    request,
    StartRunBodySchema,
    '{"message": "I never received my order #12345"}',
  );
  assertMessageLength(body.message, deps.maxMessageChars);
  if (body.runId !== undefined && !trusted) {
    throw new ApiError(
      403,
      'forbidden',
      'Choosing a runId needs a function key (x-functions-key): an anonymous caller could otherwise ' +
        'probe which run ids exist. Omit runId to get a random one.',
    );
  }
  const chosenId = body.runId;
  const run = newRunInstance(chosenId);
  const { nonce } = run;
  // A random id needs no claim: no other start picks the same 122 random bits.
  if (chosenId !== undefined) {
    const exists = async () => (await deps.client.getStatus(chosenId)) !== undefined;
    const claim = await claimRunId(deps.claims, exists, chosenId, nonce, (deps.now ?? Date.now)());
    if (claim.kind === 'taken') throw RUN_EXISTS(chosenId);
    if (claim.kind === 'starting') throw runStarting(chosenId, claim.retryAfterMs);
  }
  const workflow = deps.workflows.get(name);
  deps.transcripts?.started(runStoreKey(run));
  const root = deps.telemetry?.startRun(name, requestSpanContext(request));
  try {
    await startRunInstance(
      deps.client,
      workflow,
      { message: body.message, ...(body.mode ? { mode: body.mode } : {}) },
      run,
      root?.trace,
    );
    root?.started(run.runId, body.mode ?? workflow.interactionMode);
    linkRequestToRun(request, { runId: run.runId, workflow: name, trace: root?.trace });
  } catch (error) {
    root?.failed(error);
    if (chosenId !== undefined) {
      // A start that failed frees its id at once (a run of the id that exists after all is not ours to judge).
      await deps.claims.release(chosenId, nonce);
      if (await deps.client.getStatus(chosenId)) throw RUN_EXISTS(chosenId);
    }
    throw error;
  }
  if (chosenId !== undefined) await deps.claims.markStarted(chosenId, nonce);
  const links = runLinks(deps.linkOrigin ?? '', deps.routePrefix, name, run.runId);
  return {
    status: 202,
    headers: { location: links.statusUri, 'cache-control': 'no-store' },
    jsonBody: {
      runId: run.runId,
      workflow: name,
      token: deps.tokens.issue(run),
      ...links,
    } satisfies RunHandle,
  };
}

/** Registers `POST /api/workflows/{name}/run`. */
export function registerStartRun(services: HandoffServices): void {
  const authLevel = startAuthLevel();
  const route = 'workflows/{name}/run';
  app.http('startRun', {
    route,
    methods: ['POST', 'OPTIONS'],
    authLevel,
    extraInputs: [durableClientInput()],
    handler: apiRoute(services, route, async (request, context) => {
      const access = services.access();
      return startRun(request, context, {
        workflows: services.workflows,
        client: durableRunClient(context),
        claims: services.claims(),
        tokens: services.tokens(context),
        routePrefix: services.routePrefix(),
        linkOrigin: services.publicOrigin(),
        keyRequired: authLevel === 'function',
        keys: services.keys(),
        limiter: services.startLimiter(),
        clientIpHops: access.clientIpHops,
        maxMessageChars: access.maxMessageChars,
        telemetry: await services.telemetry(),
        transcripts: transcriptCacheOf(services),
      });
    }),
  });
}
