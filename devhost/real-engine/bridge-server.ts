/**
 * The Node side of the real engine: a loopback HTTP server through which the .NET host
 * (devhost/dtfx) runs the app's orchestrator episodes and activities in this process's worker,
 * exactly as the Functions host hands them to the Node language worker.
 *
 * - `GET /functions`: the app's orchestrations and activities, from the worker's registrations.
 * - `POST /orchestration/<name>`: body = the extension's orchestration payload; 200 with the
 *   orchestrator state JSON durable-functions returned.
 * - `POST /activity/<name>`: body = the activity input as the extension binds it to a string
 *   (`x-input-null: 1` when there is none); 200 with the result as JSON.
 * - A function that fails answers 500 `{ message, stack }` (the worker's error), which the .NET
 *   side turns into the Functions host's RpcException message. 503 means "not ready, retry".
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FunctionInvoker, InvocationOutcome, RegisteredFunction, RpcTypedData } from '../contracts';
import { activityResultJson } from '../durable/activity/activity-io';
import type { LogSink } from '../log';

/** A durable function as the bridge lists it to the .NET host. */
export interface BridgedFunction {
  name: string;
  kind: 'orchestration' | 'activity';
}

const KINDS: Record<string, BridgedFunction['kind']> = {
  orchestrationtrigger: 'orchestration',
  activitytrigger: 'activity',
};

/** The app's orchestrations and activities, in registration order. */
export function bridgedFunctions(invoker: FunctionInvoker): BridgedFunction[] {
  return invoker.list().flatMap((fn) => {
    const kind = KINDS[fn.triggerType.toLowerCase()];
    return kind ? [{ name: fn.name, kind }] : [];
  });
}

function find(
  invoker: FunctionInvoker,
  name: string,
  kind: BridgedFunction['kind'],
): RegisteredFunction | undefined {
  const lower = name.toLowerCase();
  return invoker
    .list()
    .find((fn) => KINDS[fn.triggerType.toLowerCase()] === kind && fn.name.toLowerCase() === lower);
}

function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function answer(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

function errorBody(error: { message: string; stack?: string }): string {
  return JSON.stringify({ message: error.message, stack: error.stack ?? '' });
}

function stateJson(returnValue: RpcTypedData | null | undefined): string | undefined {
  if (typeof returnValue?.json === 'string') return returnValue.json;
  if (typeof returnValue?.string === 'string') return returnValue.string;
  return undefined;
}

async function safely(run: () => Promise<InvocationOutcome>): Promise<InvocationOutcome> {
  try {
    return await run();
  } catch (error) {
    const e = error as Partial<Error> | undefined;
    return {
      ok: false,
      error: {
        message: typeof e?.message === 'string' ? e.message : String(error),
        ...(typeof e?.stack === 'string' ? { stack: e.stack } : {}),
      },
    };
  }
}

/** A running bridge. */
export interface BridgeServer {
  /** `http://127.0.0.1:<port>/`. */
  url: string;
  /** Stops accepting calls; calls in flight finish. */
  close(): Promise<void>;
}

/** Starts the bridge on a free loopback port. */
export async function startBridgeServer(options: {
  invoker: FunctionInvoker;
  log: LogSink;
}): Promise<BridgeServer> {
  const { invoker, log } = options;

  async function orchestrate(name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const fn = find(invoker, name, 'orchestration');
    const payload = await readText(req);
    if (!fn)
      return answer(res, 500, errorBody({ message: `No orchestrator function '${name}' is registered.` }));
    const outcome = await safely(() =>
      invoker.invoke(fn.name, [{ name: fn.triggerBindingName, data: { string: payload } }]),
    );
    if (!outcome.ok) return answer(res, 500, errorBody(outcome.error));
    const json = stateJson(outcome.returnValue);
    if (json === undefined) {
      return answer(
        res,
        500,
        errorBody({
          message: `The orchestrator function '${fn.name}' returned no value (expected an OrchestratorState).`,
        }),
      );
    }
    answer(res, 200, json);
  }

  async function runActivity(name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const fn = find(invoker, name, 'activity');
    const input = await readText(req);
    if (!fn)
      return answer(res, 500, errorBody({ message: `The activity function '${name}' is not registered.` }));
    const instanceId = req.headers['x-instance-id'];
    const data: RpcTypedData = req.headers['x-input-null'] === '1' ? {} : { string: input };
    const outcome = await safely(() =>
      invoker.invoke(fn.name, [{ name: fn.triggerBindingName, data }], {
        ...(typeof instanceId === 'string'
          ? { triggerMetadata: { instanceId: { string: instanceId } } }
          : {}),
      }),
    );
    if (!outcome.ok) return answer(res, 500, errorBody(outcome.error));
    answer(res, 200, activityResultJson(outcome.returnValue));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const [, kind, rawName] = url.pathname.split('/');
    if (req.method === 'GET' && kind === 'functions') {
      return answer(res, 200, JSON.stringify(bridgedFunctions(invoker)));
    }
    if (req.method === 'POST' && rawName !== undefined) {
      const name = decodeURIComponent(rawName);
      if (kind === 'orchestration') return orchestrate(name, req, res);
      if (kind === 'activity') return runActivity(name, req, res);
    }
    req.resume();
    answer(res, 404, errorBody({ message: `No bridge route ${req.method} ${url.pathname}.` }));
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log({
        level: 'error',
        category: 'system',
        message: `Real engine bridge: ${req.method} ${req.url} failed: ${(error as Error).stack ?? String(error)}`,
      });
      if (!res.headersSent)
        answer(res, 500, errorBody({ message: (error as Error).message ?? String(error) }));
      else res.destroy();
    });
  });
  // Orchestrator episodes block a .NET dispatcher thread until answered: keep connections alive.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
