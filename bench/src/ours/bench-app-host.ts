/**
 * durable-handoff's Functions app (this repository) on its local host, started in the calling
 * process the way the bench needs it: free port, a temporary data folder, quiet log, the model at
 * the bench model server, no episode recordings unless asked (a host serving thousands of runs
 * would otherwise keep every episode in memory, which would inflate its peak memory).
 *
 * The host and the app are loaded from `dist/` (the compiled app, as `npm run bench` builds it):
 * the app's `package.json` `main` points there, and the bench must share its module instances.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startHost, type RunningHost } from '../../../dist/devhost/host.js';
import { isTerminal, RUNTIME_STATUSES, type DurableEngine } from '../../../dist/devhost/durable/index.js';
import type { LogEntry } from '../../../dist/devhost/log.js';
import { BenchError } from '../bench-error';
import type { ModelEndpoint } from '../frameworks/framework-under-test';

/** The repository root: the library (built into dist/). */
export const PROJECT_DIR = resolve(__dirname, '../../..');

/** The sample app folder (host.json, package.json with `main` into sample/dist/). */
export const APP_DIR = resolve(PROJECT_DIR, 'sample');

/** Where the app keeps durable state: durable state in memory, or in Azurite (Table + Blob). */
export type OursStorage = 'memory' | 'azurite';

/** Options of {@link startBenchAppHost}. */
export interface BenchAppHostOptions {
  storage: OursStorage;
  model: ModelEndpoint;
  /** Keep each durable episode for `durable.recording()` (default false). */
  recordEpisodes?: boolean;
  /** The app folder; default {@link APP_DIR}. */
  appDir?: string;
  /** Names the host in error lines, e.g. `durable-handoff-memory`. */
  label: string;
  /** App settings beside {@link benchAppSettings} (another app's own, e.g. the stack floor's agents). */
  settings?: Record<string, string>;
}

/** A started app host. */
export interface BenchAppHost {
  readonly host: RunningHost;
  readonly engine: DurableEngine;
  /** `http://localhost:<port>/api`. */
  readonly api: string;
  /** Warnings the host and the app logged (errors are printed to stderr at once). */
  readonly warnings: LogEntry[];
  stop(): Promise<void>;
}

/** The task hub of bench hosts; it names the run store's tables (`BenchHubEvents`, ...). */
export const BENCH_TASK_HUB = 'BenchHub';

/**
 * The app settings of a bench host. The token secret is random per host: the bench only needs
 * tokens to work within one host's life.
 */
export function benchAppSettings(model: ModelEndpoint): Record<string, string> {
  return {
    AZURE_FUNCTIONS_ENVIRONMENT: 'Development',
    DURABLE_HANDOFF_TASK_HUB: BENCH_TASK_HUB,
    DURABLE_HANDOFF_TOKEN_SECRET: randomBytes(32).toString('base64url'),
    // The bench starts hundreds of runs from one address: the anonymous start limits would refuse them.
    DURABLE_HANDOFF_START_LIMIT_PER_CLIENT: '0',
    DURABLE_HANDOFF_START_LIMIT_PER_WORKFLOW: '0',
    OPENAI_BASE_URL: model.baseUrl,
    OPENAI_API_KEY: model.apiKey,
    OPENAI_MODEL: model.model,
    // Present but empty: the app then never picks Azure OpenAI from the machine's environment.
    AZURE_OPENAI_ENDPOINT: '',
    AZURE_OPENAI_DEPLOYMENT: '',
  };
}

/** The host, its warnings and how to stop it: what both engines' bench hosts share. */
interface StartedLocalHost {
  host: RunningHost;
  warnings: LogEntry[];
  stop(): Promise<void>;
}

async function startLocalHost(
  options: BenchAppHostOptions,
  engine: 'emulated' | 'dtfx',
): Promise<StartedLocalHost> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-durable-handoff-'));
  const warnings: LogEntry[] = [];
  let host: RunningHost;
  try {
    host = await startHost({
      appDir: options.appDir ?? APP_DIR,
      port: 0,
      storage: options.storage,
      engine,
      dataDir,
      env: { ...benchAppSettings(options.model), ...options.settings },
      recordEpisodes: options.recordEpisodes ?? false,
      log: (entry) => {
        if (entry.level === 'warning') warnings.push(entry);
        if (entry.level === 'error' || entry.level === 'critical') {
          const where = entry.functionName ? ` [${entry.functionName}]` : '';
          process.stderr.write(`${options.label}${where}: ${entry.level}: ${entry.message}\n`);
        }
      },
    });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    host,
    warnings,
    async stop() {
      try {
        await host.stop();
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}

function noDurableFunctions(options: BenchAppHostOptions): BenchError {
  return new BenchError(
    'framework_failed',
    `${options.label}: the app at ${options.appDir ?? APP_DIR} registered no durable functions; is dist/ built (npm run build)?`,
  );
}

/**
 * Starts the app on the local host in this process, on the emulated durable engine.
 *
 * @example
 * ```ts
 * const app = await startBenchAppHost({ storage: 'azurite', model: endpoint, label: 'durable-handoff-azurite' });
 * try {
 *   await fetch(`${app.api}/workflows`);
 * } finally {
 *   await app.stop();
 * }
 * ```
 */
export async function startBenchAppHost(options: BenchAppHostOptions): Promise<BenchAppHost> {
  const started = await startLocalHost(options, 'emulated');
  const engine = started.host.durable;
  if (engine === undefined) {
    await started.stop();
    throw noDurableFunctions(options);
  }
  return { ...started, engine, api: `${started.host.baseUrl}/api` };
}

/** The app on the real Durable engine: no in-process engine, its management API over HTTP. */
export interface RealEngineBenchAppHost {
  readonly host: RunningHost;
  /** `http://localhost:<port>/api`. */
  readonly api: string;
  readonly warnings: LogEntry[];
  /**
   * Waits until the instance `runId` has ended (Completed, Failed or Terminated), reading its
   * status from the extension's management API every {@link REAL_ENGINE_POLL_MS} ms: the real
   * engine has no in-process notification, so a run's measured time includes up to one interval.
   */
  waitForEnd(runId: string, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** How often {@link RealEngineBenchAppHost.waitForEnd} reads the status. */
export const REAL_ENGINE_POLL_MS = 20;

/**
 * Starts the app on the local host in this process, on Microsoft's Durable extension
 * (devhost/dtfx, a .NET process); needs .NET and `npm run build`.
 */
export async function startRealEngineBenchAppHost(
  options: BenchAppHostOptions,
): Promise<RealEngineBenchAppHost> {
  const started = await startLocalHost(options, 'dtfx');
  const { host } = started;
  if (host.dtfx === undefined) {
    await started.stop();
    throw noDurableFunctions(options);
  }
  return {
    ...started,
    api: `${host.baseUrl}/api`,
    async waitForEnd(runId, timeoutMs) {
      const url = `${host.baseUrl}/runtime/webhooks/durabletask/instances/${encodeURIComponent(runId)}`;
      const deadline = Date.now() + timeoutMs;
      let last = 'no status';
      while (Date.now() < deadline) {
        const response = await fetch(url, { headers: { 'x-functions-key': host.masterKey } });
        const text = await response.text();
        if (response.status !== 404) {
          const status = JSON.parse(text) as { runtimeStatus?: string };
          const known = RUNTIME_STATUSES.find((name) => name === status.runtimeStatus);
          if (known !== undefined && isTerminal(known)) return;
          last = status.runtimeStatus ?? text.slice(0, 200);
        }
        await new Promise((resolve) => setTimeout(resolve, REAL_ENGINE_POLL_MS));
      }
      throw new BenchError(
        'framework_failed',
        `${options.label}: run ${runId} did not end within ${timeoutMs} ms (last status: ${last}).`,
      );
    },
  };
}

/** The port of the host's durable RPC listener (the app's management API calls), if it has one. */
export function rpcPortOf(app: BenchAppHost): number | undefined {
  const base = app.host.rpcBaseUrl;
  return base === undefined ? undefined : Number(new URL(base).port);
}
