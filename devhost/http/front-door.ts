import { randomUUID } from 'node:crypto';
import type { Agent, IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type {
  DurableEngineHandle,
  FunctionInvoker,
  InvocationOutcome,
  RpcParameterBinding,
} from '../contracts';
import type { LogSink } from '../log';
import { adminFunctionName, invokeByAdmin } from './admin-invoke';
import { isAuthorized, presentedKey } from './authorize';
import type { HostKeys } from './host-keys';
import { extraInputs } from './invocation-inputs';
import { forwardManagementRequest, managementPath } from './management-forward';
import { DEFAULT_MAX_REQUEST_BODY_BYTES, declaresTooLarge, readBody } from './read-body';
import { hasBackslashInTarget, MAX_MANAGEMENT_BODY_BYTES } from './request-limits';
import type { RouteMatch, RouteTable } from './route-table';
import { proxyStreamedInvocation } from './stream-proxy';
import { httpTriggerMetadata, requestHeaders, toRpcHttp, type RpcHttpSource } from './to-rpc-http';
import { decodeRpcHttpResponse, writeDecodedResponse } from './write-rpc-response';

/** What the front door serves. */
export interface FrontDoorOptions {
  invoker: FunctionInvoker;
  routes: RouteTable;
  keys: HostKeys;
  /** The durable engine, when the app has durable functions. */
  durable?: DurableEngineHandle;
  /** The worker's `HttpUri` capability: set when the app enabled HTTP streaming. */
  httpUri?: string;
  /**
   * The keep-alive pool of connections to the worker's HTTP proxy (`httpUri`), which its owner
   * destroys when the host stops; without it, each streamed invocation opens and closes its own.
   */
  workerConnections?: Agent;
  /** Request bodies above this many bytes are refused with 413. Default 100 MB, as in Azure. */
  maxRequestBodyBytes?: number;
  /**
   * Serve the Durable management API without a key (`--open-management`). By default it takes the
   * master key, as Azure's takes the system key.
   */
  openManagement?: boolean;
  /**
   * Functions disabled by `AzureWebJobs.<name>.Disabled`: their routes answer 404 unless the
   * request carries the master key, which runs a disabled function in Azure too.
   */
  disabledFunctions?: ReadonlySet<string>;
  /**
   * Where `GET /` sends a browser (302) when no function serves `/`: locally the root URL opens the
   * app's page (durable-handoff's chat page) instead of an empty 404.
   */
  rootRedirect?: string;
  log: LogSink;
}

/** The 401 of the management API: unlike other refusals it says what to pass. */
export const MANAGEMENT_KEY_REQUIRED =
  "The Durable management API requires the host's master key: pass it as the 'code' query parameter " +
  "or the 'x-functions-key' header (it is in <data>/keys.json, or DEVHOST_MASTER_KEY), or start the " +
  'host with --open-management.\n';

function answerEmpty(req: IncomingMessage, res: ServerResponse, status: number, close = false): void {
  // Drain what the client still sends, so it reads our answer instead of a reset.
  req.resume();
  if (close) res.setHeader('connection', 'close');
  res.statusCode = status;
  res.setHeader('content-length', 0);
  res.end();
}

/**
 * Creates the request listener of the local host: the Durable management API, HTTP triggers
 * (routes, auth levels, bodies up to the limit, streaming when the app enabled it) and 404 for
 * anything else. Responses to refused requests carry no body, as Azure's do.
 *
 * @example
 * ```ts
 * const server = await FrontDoorServer.listen(0);
 * server.setHandler(createFrontDoor({ invoker: worker, routes, keys, log }));
 * ```
 */
export function createFrontDoor(options: FrontDoorOptions): RequestListener {
  const limit = options.maxRequestBodyBytes ?? DEFAULT_MAX_REQUEST_BODY_BYTES;
  const { log, invoker, durable } = options;

  function logOutcome(name: string, id: string, started: number, outcome: InvocationOutcome): void {
    const duration = Date.now() - started;
    if (outcome.ok) {
      log({
        level: 'information',
        category: 'system',
        message: `Executed 'Functions.${name}' (Succeeded, Id=${id}, Duration=${duration}ms)`,
        functionName: name,
        invocationId: id,
      });
      for (const output of outcome.outputData ?? []) {
        log({
          level: 'warning',
          category: 'system',
          message: `The output binding '${output.name}' of '${name}' is not emulated by the local host; its value was dropped.`,
          functionName: name,
          invocationId: id,
        });
      }
      return;
    }
    log({
      level: 'error',
      category: 'system',
      message: `Executed 'Functions.${name}' (Failed, Id=${id}, Duration=${duration}ms): ${outcome.error.stack ?? outcome.error.message}`,
      functionName: name,
      invocationId: id,
    });
  }

  async function invokeRoute(req: IncomingMessage, res: ServerResponse, url: URL, match: RouteMatch) {
    const { route, params } = match;
    const fn = invoker.get(route.functionName);
    const extras = fn
      ? extraInputs(fn, durable)
      : { ok: false as const, message: `No function '${route.functionName}'.` };
    if (!extras.ok) {
      log({ level: 'error', category: 'system', message: extras.message, functionName: route.functionName });
      answerEmpty(req, res, 500);
      return;
    }
    if (declaresTooLarge(req, limit)) {
      answerEmpty(req, res, 413, true);
      return;
    }
    const invocationId = randomUUID();
    const started = Date.now();
    const source: RpcHttpSource = { method: req.method ?? 'GET', url, headers: req.headers, params };
    const invoke = (body?: Buffer): Promise<InvocationOutcome> => {
      log({
        level: 'information',
        category: 'system',
        message: `Executing 'Functions.${route.functionName}' (Reason='HTTP ${source.method} ${url.pathname}', Id=${invocationId})`,
        functionName: route.functionName,
        invocationId,
      });
      const http = toRpcHttp(body ? { ...source, body } : source);
      const inputData: RpcParameterBinding[] = [
        { name: route.triggerBindingName, data: { http } },
        ...extras.inputs,
      ];
      return invoker
        .invoke(route.functionName, inputData, {
          invocationId,
          ...(options.httpUri ? { triggerMetadata: httpTriggerMetadata(source) } : {}),
        })
        .catch((error: unknown): InvocationOutcome => ({
          ok: false,
          error: { message: error instanceof Error ? error.message : String(error) },
        }));
    };

    if (options.httpUri) {
      const invocation = invoke();
      void invocation.then((outcome) => logOutcome(route.functionName, invocationId, started, outcome));
      await proxyStreamedInvocation({
        httpUri: options.httpUri,
        invocationId,
        forwardedHost: url.host,
        url,
        req,
        res,
        maxRequestBodyBytes: limit,
        invocation,
        agent: options.workerConnections,
        onAnswerLost: () =>
          log({
            level: 'warning',
            category: 'system',
            message:
              `'Functions.${route.functionName}' answered before reading the request body, and the worker's ` +
              'HTTP stream proxy closed the connection mid-upload, losing the answer (the client got 500). ' +
              'Read or drain the request body before answering.',
            functionName: route.functionName,
            invocationId,
          }),
      });
      return;
    }

    const body = await readBody(req, limit);
    if (!body.ok) {
      answerEmpty(req, res, 413, true);
      return;
    }
    const outcome = await invoke(body.body);
    logOutcome(route.functionName, invocationId, started, outcome);
    if (!outcome.ok) {
      answerEmpty(req, res, 500);
      return;
    }
    try {
      writeDecodedResponse(res, decodeRpcHttpResponse(outcome.returnValue));
    } catch (error) {
      log({
        level: 'error',
        category: 'system',
        message: `The response of '${route.functionName}' cannot be written: ${(error as Error).message}.`,
        functionName: route.functionName,
        invocationId,
      });
      if (!res.headersSent) answerEmpty(req, res, 500);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (hasBackslashInTarget(req)) {
      answerEmpty(req, res, 400);
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    } catch {
      answerEmpty(req, res, 400);
      return;
    }
    const management = managementPath(url.pathname);
    if (management !== undefined) {
      const key = presentedKey(requestHeaders(req.headers), url);
      if (durable && !options.openManagement && !isAuthorized('admin', key, options.keys)) {
        req.resume();
        res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(MANAGEMENT_KEY_REQUIRED);
        return;
      }
      await forwardManagementRequest({
        path: management,
        url,
        req,
        res,
        durable,
        maxRequestBodyBytes: Math.min(limit, MAX_MANAGEMENT_BODY_BYTES),
        log,
      });
      return;
    }
    if (url.pathname === '/admin/host/status') {
      const authorized = isAuthorized('admin', presentedKey(requestHeaders(req.headers), url), options.keys);
      if (!authorized) return answerEmpty(req, res, 401);
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ state: 'Running' }));
      return;
    }
    const adminFunction = adminFunctionName(url.pathname);
    if (adminFunction !== undefined && req.method === 'POST') {
      const authorized = isAuthorized('admin', presentedKey(requestHeaders(req.headers), url), options.keys);
      if (!authorized) return answerEmpty(req, res, 401);
      req.resume();
      const invocationId = randomUUID();
      const started = invokeByAdmin(adminFunction, invoker, durable, invocationId);
      if (started.status !== 202) {
        res.writeHead(started.status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ error: started.message }));
        return;
      }
      log({
        level: 'information',
        category: 'system',
        message: `Executing 'Functions.${adminFunction}' (Reason='This function was programmatically called via the host APIs.', Id=${invocationId})`,
        functionName: adminFunction,
        invocationId,
      });
      const at = Date.now();
      void started.invocation
        .catch((error: unknown): InvocationOutcome => ({
          ok: false,
          error: { message: error instanceof Error ? error.message : String(error) },
        }))
        .then((outcome) => logOutcome(adminFunction, invocationId, at, outcome));
      answerEmpty(req, res, 202);
      return;
    }
    const match = options.routes.match(req.method ?? 'GET', url.pathname);
    if (
      !match &&
      url.pathname === '/' &&
      options.rootRedirect &&
      (req.method === 'GET' || req.method === 'HEAD')
    ) {
      req.resume();
      res.writeHead(302, { location: options.rootRedirect, 'content-length': 0 });
      res.end();
      return;
    }
    if (!match) {
      answerEmpty(req, res, 404);
      return;
    }
    const key = presentedKey(requestHeaders(req.headers), url);
    if (
      options.disabledFunctions?.has(match.route.functionName) &&
      !isAuthorized('admin', key, options.keys)
    ) {
      answerEmpty(req, res, 404);
      return;
    }
    if (!isAuthorized(match.route.authLevel, key, options.keys)) {
      answerEmpty(req, res, 401);
      return;
    }
    await invokeRoute(req, res, url, match);
  }

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      log({
        level: 'error',
        category: 'system',
        // The path only: the query may hold a key (?code=), and keys are never logged.
        message: `The local host failed to serve ${req.method} ${(req.url ?? '/').split('?')[0]}: ${(error as Error).stack ?? String(error)}`,
      });
      if (!res.headersSent) answerEmpty(req, res, 500);
      else res.destroy();
    });
  };
}
