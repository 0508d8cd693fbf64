/**
 * The local host: composes the Node worker, the HTTP front door, storage and the durable engine
 * into one running Functions host for an app folder.
 */
import fs from 'node:fs';
import { Agent } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { EnvironmentOverlay } from './config/app-environment';
import type { StorageKind } from './config/cli-options';
import { readHostJson, type HostJson } from './config/host-json';
import { disabledFunctions, withoutDisabled } from './config/disabled-functions';
import { applyLocalSettings, readLocalSettings } from './config/local-settings';
import { addModuleFallback } from './config/module-fallback';
import { hasIdentityBasedStorage, planStorage, type StoragePlan } from './config/storage-plan';
import type { Clock, FunctionInvoker } from './contracts';
import { DevhostError } from './errors';
import {
  createDurableEngine,
  createMemoryStore,
  createTableStore,
  parseDurableSettings,
  startAzurite,
  type AzuriteHandle,
  type DurableEngine,
} from './durable';
import {
  buildRouteTable,
  createFrontDoor,
  createRpcListener,
  FrontDoorServer,
  loadHostKeys,
  LOOPBACK,
  RPC_PREFIX,
  type AuthLevel,
  type HttpRoute,
} from './http';
import { consoleLogSink, type LogSink } from './log';
import { startDtfxEngine, type DtfxEngine } from './real-engine/dtfx-engine';
import { AppWorker } from './worker/app-worker';

/** The durable engines of the local host: Microsoft's extension in .NET (`dtfx`) or the emulation. */
export const ENGINE_KINDS = ['dtfx', 'emulated'] as const;
/** A durable engine of the local host. */
export type EngineKind = (typeof ENGINE_KINDS)[number];

/** The port `func start` uses when nothing else is configured. */
export const DEFAULT_PORT = 7071;

/** Options of {@link startHost}. */
export interface HostOptions {
  /** The app folder (with host.json and package.json). */
  appDir: string;
  /** The port; 0 picks a free one. Default: local.settings.json `Host.LocalHttpPort`, else 7071. */
  port?: number;
  /** Keys and Azurite data. Default `<appDir>/.devhost` with Azurite; none (fresh keys) with memory. */
  dataDir?: string;
  /** `azurite` (default): durable state in Azurite, kept across restarts. `memory`: in memory. */
  storage?: StorageKind;
  /** The durable engine's clock (tests pass a virtual one). */
  clock?: Clock;
  /** Receives the host's and the app's log lines. Default: information and above to stderr. */
  log?: LogSink;
  /** Environment variables for the app; they win over local.settings.json and the process. */
  env?: Record<string, string>;
  /** Request bodies above this size get 413. Default: FUNCTIONS_REQUEST_BODY_SIZE_LIMIT, else 100 MB. */
  maxRequestBodyBytes?: number;
  /**
   * Keep each durable episode in memory for `durable.recording()` (the engine's `record`, default
   * true). The CLI turns it off: a host that runs for days would grow without bound.
   */
  recordEpisodes?: boolean;
  /**
   * How long a stop waits for durable work in flight (an agent turn's model call) to finish and be
   * recorded, with the emulated engine (default 15 s). The dtfx engine's .NET host is stopped by
   * its own shutdown, which waits for work in flight on its own terms.
   */
  stopTimeoutMs?: number;
  /**
   * `emulated` (default): the durable engine in devhost/durable. `dtfx`: Microsoft's Durable
   * Functions extension in the .NET host (devhost/dtfx) on Azurite; needs `dotnet` and the build
   * (`npm run build`), else start-up fails with DevhostError `engine_unavailable` saying what to install.
   */
  engine?: EngineKind;
  /**
   * Serve the Durable management API (`/runtime/webhooks/durabletask/...`) without a key. By
   * default it takes the master key (`code=` or `x-functions-key`), as Azure's takes the system key.
   */
  openManagement?: boolean;
}

/** One HTTP trigger as the host serves it. */
export interface HostRoute {
  /** Upper-case methods; `['*']` when the trigger accepts every method. */
  methods: string[];
  /** The absolute URL template, e.g. `http://localhost:7071/api/orders/{id}`. */
  url: string;
  functionName: string;
  authLevel: AuthLevel;
}

/** A started host. */
export interface RunningHost {
  /** `http://localhost:<port>`. */
  baseUrl: string;
  port: number;
  functionKey: string;
  masterKey: string;
  routes: HostRoute[];
  worker: AppWorker;
  /** The emulated durable engine, when it runs (the app registered durable functions). */
  durable?: DurableEngine;
  /** The real durable engine, when it runs (`engine: 'dtfx'` and the app registered durable functions). */
  dtfx?: DtfxEngine;
  /** The engine chosen (whether or not the app has durable functions to run on it). */
  engine: EngineKind;
  /**
   * The durable client's RPC base (`http://127.0.0.1:<port>/durabletask/`), on a loopback port of
   * its own without a key, as the extension serves it on 127.0.0.1:17071; with a durable engine only.
   */
  rpcBaseUrl?: string;
  /** False unless started with `openManagement`: then the management API takes no key. */
  openManagement: boolean;
  /** The storage in use; `description` is the banner's line. */
  storage: { kind: StorageKind; description: string };
  /** Stops everything this host started and restores the environment variables it set. */
  stop(): Promise<void>;
}

function toHostRoute(baseUrl: string, route: HttpRoute): HostRoute {
  return {
    methods: route.methods ? [...route.methods] : ['*'],
    url: `${baseUrl}${route.path}`,
    functionName: route.functionName,
    authLevel: route.authLevel,
  };
}

function bodyLimit(options: HostOptions, env: NodeJS.ProcessEnv): number | undefined {
  if (options.maxRequestBodyBytes !== undefined) return options.maxRequestBodyBytes;
  const fromEnv = Number(env.FUNCTIONS_REQUEST_BODY_SIZE_LIMIT);
  return Number.isSafeInteger(fromEnv) && fromEnv > 0 ? fromEnv : undefined;
}

/** The function whose page `GET /` opens: durable-handoff's chat page, when the app serves it. */
const ROOT_PAGE_FUNCTION = 'chatPage';

function rootRedirect(routes: readonly HttpRoute[]): { rootRedirect?: string } {
  const page = routes.find((route) => route.functionName === ROOT_PAGE_FUNCTION && !route.path.includes('{'));
  return page ? { rootRedirect: page.path } : {};
}

const DURABLE_TRIGGERS = new Set(['orchestrationtrigger', 'activitytrigger', 'entitytrigger']);

function hasDurableFunctions(invoker: FunctionInvoker): boolean {
  return invoker.list().some((f) => DURABLE_TRIGGERS.has(f.triggerType.toLowerCase()));
}

/** host.json `extensions.durableTask`, as the extension's options. */
function durableTaskSection(raw: Record<string, unknown>): Record<string, unknown> {
  const extensions = raw.extensions as Record<string, unknown> | undefined;
  const section = extensions?.durableTask;
  return typeof section === 'object' && section !== null ? (section as Record<string, unknown>) : {};
}

/** What has been started so far, stopped in the order the host shuts down. */
interface Started {
  overlay: EnvironmentOverlay;
  undoModuleFallback?: () => void;
  azurite?: AzuriteHandle;
  /** A temporary Azurite folder (memory mode) to delete after Azurite stops. */
  azuriteTempDir?: string;
  server?: FrontDoorServer;
  /** The durable engine's RPC listener (the worker's durable client calls it). */
  rpcServer?: FrontDoorServer;
  worker?: AppWorker;
  /**
   * The front door's pooled connections to the worker's HTTP proxy. The Functions host keeps its
   * connections to the worker alive too (one `SocketsHttpHandler`); a connection per invocation
   * charged its set-up and close to the app's CPU (#16, the HTTP functions).
   */
  workerConnections?: Agent;
  engine?: DurableEngine;
  dtfx?: DtfxEngine;
}

async function stopAll(started: Started, log: LogSink): Promise<void> {
  const { azurite, azuriteTempDir } = started;
  const steps: [string, (() => Promise<void> | void) | undefined][] = [
    ['close the front door', started.server && (() => started.server?.close())],
    [
      'close the connections to the worker',
      started.workerConnections && (() => started.workerConnections?.destroy()),
    ],
    ['close the durable RPC listener', started.rpcServer && (() => started.rpcServer?.close())],
    ['stop the durable engine', started.engine && (() => started.engine?.stop())],
    ['stop the real durable engine', started.dtfx && (() => started.dtfx?.stop())],
    ['terminate the worker', started.worker && (() => started.worker?.terminate())],
    // An Azurite reused from an earlier (killed) host keeps running: this host did not start it.
    ['stop Azurite', azurite && !azurite.reused ? () => azurite.stop() : undefined],
    [
      'remove the temporary Azurite folder',
      azuriteTempDir ? () => fs.rmSync(azuriteTempDir, { recursive: true, force: true }) : undefined,
    ],
    ['restore the module paths', started.undoModuleFallback],
    ['restore the environment', () => started.overlay.restore()],
  ];
  for (const [what, step] of steps) {
    if (!step) continue;
    try {
      await step();
    } catch (error) {
      log({
        level: 'error',
        category: 'system',
        message: `Stopping the host: could not ${what}: ${(error as Error).message}`,
      });
    }
  }
}

async function startStorage(plan: StoragePlan, started: Started): Promise<string> {
  const configured = plan.appStorage === 'identity' ? 'identity-based, as configured' : 'as configured';
  if (!plan.azurite) return `memory (AzureWebJobsStorage: ${configured})`;
  let location = plan.azurite.location;
  if (location === undefined) {
    started.azuriteTempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'devhost-azurite-'));
    location = started.azuriteTempDir;
  }
  started.azurite = await startAzurite({
    location,
    inMemory: plan.azurite.inMemory,
    reuse: plan.azurite.reuse,
  });
  if (plan.pointAppStorageAtAzurite) {
    started.overlay.set('AzureWebJobsStorage', started.azurite.connectionString);
  }
  const appStorage = plan.pointAppStorageAtAzurite ? 'this Azurite' : configured;
  if (plan.kind === 'memory') return `memory (AzureWebJobsStorage: an in-memory Azurite)`;
  const reused = started.azurite.reused ? ', reused a running Azurite' : '';
  return `azurite (data in ${path.join(location, 'azurite')}${reused}; AzureWebJobsStorage: ${appStorage})`;
}

/**
 * Starts the local host for an app folder and returns once it serves requests.
 *
 * Steps: set `AzureWebJobsScriptRoot` to the app folder, read `local.settings.json` Values into the environment (variables already set win, as in
 * `func start`), read `host.json`, start storage (Azurite, or memory) and point
 * `AzureWebJobsStorage` at Azurite unless a real connection is configured, bind the server (so the
 * port is known), set `WEBSITE_HOSTNAME=localhost:<port>` (durable-functions' `getClient` builds
 * management URLs from it), start the worker, start the durable engine if the app registered
 * orchestrations, activities or entities, build the routes and serve.
 *
 * Hosts may be started and stopped one after the other in one process. Hosts running at the same
 * time in one process share `process.env` (WEBSITE_HOSTNAME, AzureWebJobsStorage, app settings),
 * so run concurrent hosts in separate processes.
 *
 * @example
 * ```ts
 * const host = await startHost({ appDir: 'tests/fixtures/apps/http-basics', port: 0, storage: 'memory' });
 * try {
 *   const res = await fetch(`${host.baseUrl}/api/greet/ada`);
 * } finally {
 *   await host.stop();
 * }
 * ```
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const log = options.log ?? consoleLogSink();
  const appDir = path.resolve(options.appDir);
  const storage: StorageKind = options.storage ?? 'azurite';
  const engine: EngineKind = options.engine ?? 'emulated';
  const started: Started = { overlay: new EnvironmentOverlay() };
  const { overlay } = started;
  try {
    // As the Functions host does: apps find their own files (and keep local state) under it.
    overlay.set('AzureWebJobsScriptRoot', appDir);
    for (const [name, value] of Object.entries(options.env ?? {})) overlay.set(name, value);
    const settings = readLocalSettings(appDir);
    applyLocalSettings(settings?.values ?? {}, (name, value) => overlay.setDefault(name, value));
    const hostJson: HostJson = readHostJson(appDir);
    const plan = planStorage({
      kind: storage,
      appDir,
      ...(options.dataDir === undefined ? {} : { dataDir: path.resolve(options.dataDir) }),
      appStorage: overlay.env.AzureWebJobsStorage,
      appStorageIdentity: hasIdentityBasedStorage(overlay.env),
    });
    started.undoModuleFallback = addModuleFallback(overlay.env);
    const storageDescription = await startStorage(plan, started);

    started.server = await FrontDoorServer.listen(options.port ?? settings?.localHttpPort ?? DEFAULT_PORT);
    const port = started.server.port;
    const baseUrl = `http://localhost:${port}`;
    overlay.set('WEBSITE_HOSTNAME', `localhost:${port}`);

    started.worker = await AppWorker.start({ appDir, log });
    const worker = started.worker;
    const keys = loadHostKeys({
      ...(plan.dataDir === undefined ? {} : { dataDir: plan.dataDir }),
      env: overlay.env,
    });
    const routes = buildRouteTable(worker.list(), hostJson.routePrefix, log);
    const disabled = disabledFunctions(
      worker.list().map((f) => f.name),
      overlay.env,
    );
    for (const name of disabled) {
      log({
        level: 'information',
        category: 'system',
        message: `Function '${name}' is disabled (AzureWebJobs.${name}.Disabled).`,
        functionName: name,
      });
    }
    const openManagement = options.openManagement ?? false;
    if (hasDurableFunctions(worker)) started.rpcServer = await FrontDoorServer.listen(0);
    const rpcBaseUrl = started.rpcServer && `http://${LOOPBACK}:${started.rpcServer.port}${RPC_PREFIX}`;
    if (hasDurableFunctions(worker) && engine === 'dtfx') {
      const durableSettings = parseDurableSettings(hostJson.raw, overlay.env);
      // The engine's own state: the app's storage when it is a connection string, else the
      // host's Azurite (an app on identity-based settings keeps no key in its environment).
      const connectionString = overlay.env.AzureWebJobsStorage || started.azurite?.connectionString;
      if (!connectionString) {
        throw new DevhostError(
          'invalid_config',
          '--engine dtfx keeps durable state in Azure Storage: set AzureWebJobsStorage, or let the host start Azurite (the default).',
        );
      }
      started.dtfx = await startDtfxEngine({
        invoker: withoutDisabled(worker, disabled),
        baseUrl,
        connectionString,
        hubName: durableSettings.hubName,
        durableTaskJson: durableTaskSection(hostJson.raw),
        env: { ...overlay.env },
        log,
        ...(rpcBaseUrl === undefined ? {} : { rpcBaseUrl }),
        ...(openManagement ? {} : { managementKey: keys.masterKey }),
      });
      started.rpcServer?.setHandler(createRpcListener({ durable: started.dtfx, log }));
    } else if (hasDurableFunctions(worker) && started.rpcServer) {
      const durableSettings = parseDurableSettings(hostJson.raw, overlay.env);
      const store =
        plan.durableStore === 'table' && started.azurite
          ? await createTableStore({
              connectionString: started.azurite.connectionString,
              hubName: durableSettings.hubName,
            })
          : createMemoryStore();
      started.engine = createDurableEngine({
        invoker: withoutDisabled(worker, disabled),
        store,
        settings: durableSettings,
        baseUrl,
        ...(rpcBaseUrl === undefined ? {} : { rpcBaseUrl }),
        ...(openManagement ? {} : { managementKey: keys.masterKey }),
        log,
        ...(options.clock ? { clock: options.clock } : {}),
        ...(options.recordEpisodes === undefined ? {} : { record: options.recordEpisodes }),
        ...(options.stopTimeoutMs === undefined ? {} : { stopTimeoutMs: options.stopTimeoutMs }),
      });
      await started.engine.start();
      started.rpcServer.setHandler(createRpcListener({ durable: started.engine, log }));
    }
    const limit = bodyLimit(options, overlay.env);
    const httpUri = worker.capabilities.HttpUri;
    if (httpUri) started.workerConnections = new Agent({ keepAlive: true });
    started.server.setHandler(
      createFrontDoor({
        invoker: worker,
        routes,
        keys,
        log,
        openManagement,
        disabledFunctions: disabled,
        ...(started.engine ? { durable: started.engine } : {}),
        ...(started.dtfx ? { durable: started.dtfx } : {}),
        ...(httpUri && started.workerConnections
          ? { httpUri, workerConnections: started.workerConnections }
          : {}),
        ...(limit === undefined ? {} : { maxRequestBodyBytes: limit }),
        ...rootRedirect(routes.routes),
      }),
    );

    let stopping: Promise<void> | undefined;
    return {
      baseUrl,
      port,
      functionKey: keys.functionKey,
      masterKey: keys.masterKey,
      routes: routes.routes.map((route) => toHostRoute(baseUrl, route)),
      worker,
      ...(started.engine ? { durable: started.engine } : {}),
      ...(started.dtfx ? { dtfx: started.dtfx } : {}),
      engine,
      ...(rpcBaseUrl === undefined ? {} : { rpcBaseUrl }),
      openManagement,
      storage: { kind: storage, description: storageDescription },
      stop: () => (stopping ??= stopAll(started, log)),
    };
  } catch (error) {
    await stopAll(started, log);
    throw error;
  }
}
