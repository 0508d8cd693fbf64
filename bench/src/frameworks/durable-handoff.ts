/**
 * durable-handoff: this repository's Functions app on its local host (`devhost`), started in the
 * framework's worker process, durable state in memory or in Azurite. A run is what a client of the
 * service does: start it over HTTP, wait for it to finish, read its answer over HTTP.
 */
import { isTerminal } from '../../../dist/devhost/durable/index.js';
import { BenchError } from '../bench-error';
import { OURS_REAL_ENGINE } from '../report/targets';
import { appDirWithConcurrency, shippedConcurrency } from '../ours/app-dir-with-concurrency';
import {
  type BenchAppHost,
  type OursStorage,
  type RealEngineBenchAppHost,
  REAL_ENGINE_POLL_MS,
  startBenchAppHost,
  startRealEngineBenchAppHost,
} from '../ours/bench-app-host';
import { outcomeOfStatus, readRunStatusOverHttp, startRunOverHttp } from '../ours/run-api';
import type { Scenario } from '../scenario/scenarios';
import type { FrameworkUnderTest, ModelEndpoint, RunOutcome } from './framework-under-test';

/** The longest one run may take before the bench gives up on it (200 concurrent runs queue up). */
const RUN_DEADLINE_MS = 240_000;

/** Options of {@link createDurableHandoff}. */
export interface DurableHandoffOptions {
  /**
   * Runs the app with host.json's `maxConcurrentActivityFunctions` and
   * `maxConcurrentOrchestratorFunctions` set to this (in a temporary copy of the app folder);
   * by default the app's own host.json applies.
   */
  concurrency?: number;
  /** With `concurrency`: a different `maxConcurrentOrchestratorFunctions` (default: `concurrency`). */
  orchestratorConcurrency?: number;
}

/** `durable-handoff-<storage>`, with `-concurrency-<n>` when the durable limits are raised. */
export function durableHandoffName(storage: OursStorage, concurrency?: number): string {
  return concurrency === undefined
    ? `durable-handoff-${storage}`
    : `durable-handoff-${storage}-concurrency-${concurrency}`;
}

/**
 * One run as a client of the service does it: the HTTP start, the engine's in-process `waitFor`
 * (notified on every change of the instance), the HTTP status read with the run's token.
 */
export async function runOursOnce(app: BenchAppHost, scenario: Scenario): Promise<RunOutcome> {
  const run = await startRunOverHttp(app.api, scenario.userMessage);
  await app.engine.client.waitFor(run.runId, (status) => isTerminal(status.runtimeStatus), {
    timeoutMs: RUN_DEADLINE_MS,
  });
  return outcomeOfStatus(run.runId, await readRunStatusOverHttp(app.api, run));
}

/**
 * durable-handoff as a framework under test.
 *
 * @remarks
 * `runOnce`: `POST /api/workflows/customer_support/run` with `{ message, mode: "autonomous" }`, then
 * the durable engine's in-process client `waitFor` (it is notified on every change of the
 * instance, so no poll interval is measured), then `GET /api/workflows/customer_support/status/{runId}`
 * with the run's token for the answer. Measured: the HTTP start, the orchestration and its
 * activities with their storage writes, and the HTTP read of the result.
 *
 * @example
 * ```ts
 * const framework = createDurableHandoff('azurite');
 * await framework.setup({ baseUrl: server.baseUrl, apiKey: 'x', model: 'scripted-model' });
 * const outcome = await framework.runOnce(HANDOFF_SCENARIO);
 * await framework.teardown();
 * ```
 */
export function createDurableHandoff(
  storage: OursStorage,
  options: DurableHandoffOptions = {},
): FrameworkUnderTest {
  const { concurrency } = options;
  const name = durableHandoffName(storage, concurrency);
  let limits =
    concurrency === undefined
      ? "host.json's durable limits"
      : `host.json's durable limits set to ${concurrency} activities and ${options.orchestratorConcurrency ?? concurrency} orchestrator episodes at once`;
  let app: BenchAppHost | undefined;
  let removeAppDir: (() => Promise<void>) | undefined;
  return {
    name,
    // A getter: the shipped limits are read from host.json in setup, before the harness reads it.
    get description() {
      return storage === 'memory'
        ? `durable-handoff on its local host (devhost) in the worker process: durable state in memory, run store in an in-memory Azurite, ${limits}; HTTP start + engine waitFor + HTTP status`
        : `durable-handoff on its local host (devhost) in the worker process: durable state and run store in Azurite (its own process, files in a temp dir), ${limits}; HTTP start + engine waitFor + HTTP status`;
    },
    async setup(endpoint: ModelEndpoint) {
      if (concurrency === undefined) {
        const shipped = await shippedConcurrency();
        limits = `host.json's durable limits (${shipped.maxConcurrentActivityFunctions} activities, ${shipped.maxConcurrentOrchestratorFunctions} orchestrator episodes at once)`;
      }
      let appDir: string | undefined;
      if (concurrency !== undefined) {
        const copy = await appDirWithConcurrency({
          maxConcurrentActivityFunctions: concurrency,
          maxConcurrentOrchestratorFunctions: options.orchestratorConcurrency ?? concurrency,
        });
        appDir = copy.dir;
        removeAppDir = copy.remove;
      }
      app = await startBenchAppHost({
        storage,
        model: endpoint,
        label: name,
        ...(appDir === undefined ? {} : { appDir }),
      });
    },
    async runOnce(scenario: Scenario): Promise<RunOutcome> {
      if (app === undefined) {
        throw new BenchError('framework_failed', `${name}: runOnce was called before setup.`);
      }
      return runOursOnce(app, scenario);
    },
    async teardown() {
      await app?.stop();
      app = undefined;
      await removeAppDir?.();
    },
  };
}

/**
 * durable-handoff on Microsoft's Durable extension (the local host's `--engine dtfx`: the .NET
 * host devhost/dtfx with the Azure Storage backend), durable state and run store in Azurite (its
 * own process, files in a temp dir), the app's own host.json. Needs .NET and `npm run build`.
 *
 * @remarks
 * `runOnce`: the same HTTP start and status read as {@link createDurableHandoff}; between them the
 * instance's status is read from the extension's management API every 20 ms until it has ended
 * (the real engine has no in-process notification).
 */
export function createDurableHandoffOnRealEngine(): FrameworkUnderTest {
  let app: RealEngineBenchAppHost | undefined;
  let limits = "host.json's durable limits and queue polling";
  return {
    name: OURS_REAL_ENGINE,
    get description() {
      return `durable-handoff on its local host with Microsoft's Durable extension 3.19.0 (devhost/dtfx, .NET) on the Azure Storage backend: durable state and run store in Azurite (its own process, files in a temp dir), ${limits}; HTTP start + management API status read every ${REAL_ENGINE_POLL_MS} ms + HTTP status`;
    },
    async setup(endpoint: ModelEndpoint) {
      const shipped = await shippedConcurrency();
      limits = `host.json's durable limits (${shipped.maxConcurrentActivityFunctions} activities, ${shipped.maxConcurrentOrchestratorFunctions} orchestrator episodes at once) and queue polling`;
      app = await startRealEngineBenchAppHost({
        storage: 'azurite',
        model: endpoint,
        label: OURS_REAL_ENGINE,
      });
    },
    async runOnce(scenario: Scenario): Promise<RunOutcome> {
      if (app === undefined) {
        throw new BenchError('framework_failed', `${OURS_REAL_ENGINE}: runOnce was called before setup.`);
      }
      const run = await startRunOverHttp(app.api, scenario.userMessage);
      await app.waitForEnd(run.runId, RUN_DEADLINE_MS);
      return outcomeOfStatus(run.runId, await readRunStatusOverHttp(app.api, run));
    },
    async teardown() {
      await app?.stop();
      app = undefined;
    },
  };
}
