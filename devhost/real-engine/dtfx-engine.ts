/**
 * The real Durable engine: Microsoft's Durable Functions extension in the .NET host
 * (devhost/dtfx) on the Azure Storage backend (Azurite), driving the app's functions in this
 * process's worker through the bridge. To the front door it is a DurableEngineHandle like the
 * emulation: the durableClient binding JSON is the extension's own (its URLs pointed at the front
 * door), and management requests are forwarded to the extension's own HTTP API.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { DurableEngineHandle, FunctionInvoker, HostHttpRequest, HostHttpResponse } from '../contracts';
import { queryWithCode, withCodeParameter } from '../durable/management/management-urls';
import { DevhostError } from '../errors';
import type { LogSink } from '../log';
import { startBridgeServer, type BridgeServer } from './bridge-server';
import { dtfxAvailability } from './dtfx-build';
import { startDtfxProcess, type DtfxProcess } from './dtfx-process';

/** The management API's path on the front door (and on the .NET host's server). */
const WEBHOOK_PATH = '/runtime/webhooks/durabletask';

/**
 * Variables by which the extension decides it runs on an App Service or Linux consumption plan
 * (DefaultPlatformInformation): set by some container platforms, they would switch on the
 * consumption defaults and its console telemetry. The local host is neither.
 */
const PLATFORM_VARIABLES = [
  'CONTAINER_NAME',
  'WEBSITE_INSTANCE_ID',
  'WEBSITE_SKU',
  'FUNCTIONS_LOGS_MOUNT_PATH',
  'WEBSITE_STAMP_DEPLOYMENT_ID',
  'WEBSITE_HOME_STAMPNAME',
];

function withoutPlatformVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const name of PLATFORM_VARIABLES) delete out[name];
  return out;
}

/** Options of {@link startDtfxEngine}. */
export interface DtfxEngineOptions {
  invoker: FunctionInvoker;
  /** The front door's origin, e.g. `http://localhost:7071`. */
  baseUrl: string;
  /** The Azure Storage connection string (Azurite's). */
  connectionString: string;
  /** The task hub (resolved). */
  hubName: string;
  /** host.json `extensions.durableTask`, passed to the extension as its options. */
  durableTaskJson: Record<string, unknown>;
  /** The environment of the .NET host (the app's settings, so `%NAME%` references resolve). */
  env: NodeJS.ProcessEnv;
  log: LogSink;
  /**
   * Where the worker's durable client sends its calls (the host's keyless loopback RPC listener, as
   * the extension's 127.0.0.1:17071 on Azure); default: the front door's `/durabletask/`.
   */
  rpcBaseUrl?: string;
  /** The key the front door demands on the management API; handed-out URLs carry it as `code=`. */
  managementKey?: string;
}

/** The running real engine. */
export interface DtfxEngine extends DurableEngineHandle {
  readonly kind: 'dtfx';
  /** The .NET host's process id. */
  readonly pid: number;
  stop(): Promise<void>;
}

function request(
  port: number,
  path: string,
  init: HostHttpRequest | undefined,
  host: string,
): Promise<HostHttpResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...(init?.headers ?? {}), host };
    delete headers['content-length'];
    delete headers['transfer-encoding'];
    delete headers.connection;
    const body = init?.body ?? Buffer.alloc(0);
    if (body.length > 0) headers['content-length'] = String(body.length);
    const req = http.request(
      { host: '127.0.0.1', port, path, method: init?.method ?? 'GET', headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const out: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value === undefined || name === 'transfer-encoding' || name === 'connection') continue;
            out[name] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve({ status: res.statusCode ?? 500, headers: out, body: Buffer.concat(chunks) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Starts the real engine: the bridge, then the .NET host (which indexes the app's durable
 * functions from the bridge and starts the extension), then reads the client binding JSON.
 * Throws DevhostError `engine_unavailable` when .NET or the build is missing.
 */
export async function startDtfxEngine(options: DtfxEngineOptions): Promise<DtfxEngine> {
  const available = dtfxAvailability(options.env);
  if (!available.ok) throw new DevhostError('engine_unavailable', `--engine dtfx: ${available.reason}`);
  const origin = new URL(options.baseUrl).origin;
  const host = new URL(origin).host;
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'devhost-dtfx-'));
  let bridge: BridgeServer | undefined;
  let dotnet: DtfxProcess | undefined;
  const cleanUp = async () => {
    await dotnet?.stop();
    await bridge?.close();
    fs.rmSync(tempDir, { recursive: true, force: true });
  };
  try {
    const settingsFile = path.join(tempDir, 'appsettings.json');
    const durableTask = {
      // Distributed tracing stays off unless host.json turns it on (the extension nags otherwise).
      tracing: { distributedTracingEnabled: false, version: 'None' },
      ...options.durableTaskJson,
      hubName: options.hubName,
    };
    fs.writeFileSync(
      settingsFile,
      JSON.stringify({ AzureWebJobs: { extensions: { DurableTask: durableTask } } }),
    );
    bridge = await startBridgeServer({ invoker: options.invoker, log: options.log });
    const port = new URL(origin).port || '80';
    dotnet = await startDtfxProcess({
      dll: available.dll,
      bridgeUrl: bridge.url,
      webhookUrl: `${origin}${WEBHOOK_PATH}`,
      settingsFile,
      env: {
        ...withoutPlatformVariables(options.env),
        AzureWebJobsStorage: options.connectionString,
        // The JSON (out-of-process) protocol, as for a Node app on the Functions host.
        FUNCTIONS_WORKER_RUNTIME: 'node',
        // The front door serves the management API; the extension's own loopback listener would
        // only compete for port 17071 between hosts.
        AzureWebJobs__extensions__DurableTask__LocalRpcEndpointEnabled: 'false',
        // A distinct worker id per host (the extension reads these two, as on App Service), so
        // hosts sharing a task hub own partitions separately; the same port reclaims its own.
        WEBSITE_CURRENT_STAMPNAME: 'devhost',
        RoleInstanceId: `${os.hostname()}-${port}`,
        DOTNET_NOLOGO: '1',
        DOTNET_CLI_TELEMETRY_OPTOUT: '1',
      },
      log: options.log,
    });
    const running = dotnet;
    const binding = await request(running.port, '/devhost/client-binding', undefined, host);
    if (binding.status !== 200) {
      throw new DevhostError(
        'engine_failed',
        `The real Durable engine did not give the client binding (${binding.status}).`,
      );
    }
    const clientJson = clientBindingFor(String(binding.body), origin, {
      ...(options.rpcBaseUrl === undefined ? {} : { rpcBaseUrl: options.rpcBaseUrl }),
      ...(options.managementKey === undefined ? {} : { code: options.managementKey }),
    });
    return {
      kind: 'dtfx',
      pid: running.pid,
      clientBindingPayload: () => clientJson,
      handleManagementRequest: (rest, req) =>
        request(running.port, `${WEBHOOK_PATH}/${rest}${req.url.search}`, req, req.url.host),
      stop: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/**
 * The extension's client binding JSON with `rpcBaseUrl` set to where the worker's durable client
 * should call (default: the front door, which forwards to the extension's API), and, when the front
 * door demands a key on the management API, `code=` on every URL the app hands out
 * (`createCheckStatusResponse`), as the Functions host adds its system key in Azure.
 */
export function clientBindingFor(
  extensionJson: string,
  origin: string,
  access: { rpcBaseUrl?: string; code?: string } = {},
): string {
  const payload = JSON.parse(extensionJson) as Record<string, unknown>;
  const withCode = (value: unknown): unknown => {
    if (access.code === undefined) return value;
    // Only URLs: managementUrls also holds the instance id.
    if (typeof value === 'string' && /^https?:\/\//i.test(value))
      return withCodeParameter(value, access.code);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([name, url]) => [name, withCode(url)]));
    }
    return value;
  };
  const required =
    typeof payload.requiredQueryStringParameters === 'string' ? payload.requiredQueryStringParameters : '';
  return JSON.stringify({
    ...payload,
    creationUrls: withCode(payload.creationUrls),
    managementUrls: withCode(payload.managementUrls),
    ...(access.code === undefined
      ? {}
      : {
          requiredQueryStringParameters: queryWithCode(required, access.code),
        }),
    rpcBaseUrl: access.rpcBaseUrl ?? `${origin}/durabletask/`,
  });
}
