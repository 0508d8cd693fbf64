/**
 * The cost-split task (run in an ours-only child process): where durable-handoff's CPU per agent
 * turn goes, and how many storage requests a turn sends. It hosts the app on the local host in
 * this process (memory storage, then Azurite), against the runner's model server (another process,
 * so the model's work is not in this process's CPU), and runs the `handoff` scenario one run at a
 * time, as the sequential phase does.
 *
 * Runs alternate: a plain run gives the process's CPU time (`process.cpuUsage`), the next, with
 * the attribution hooks on (`ours/cost-attribution.ts`), gives the shares of the app, the local
 * host (front door and durable engine) and the bench's own client code, and the requests each
 * sent. The hooks slow promise-heavy code down, so each pair's figures are the plain run's CPU
 * times the hooked run's shares. Request counts are exact.
 */
import { URL } from 'node:url';
import { AppWorker } from '../../../../dist/devhost/worker/app-worker.js';
import { BenchError } from '../../bench-error';
import { runOursOnce } from '../../frameworks/durable-handoff';
import type { ModelEndpoint } from '../../frameworks/framework-under-test';
import { checkOutcome } from '../../measure/check-run';
import type { PhaseRounds } from '../../measure/sequential-phase';
import { type BenchAppHost, type OursStorage, startBenchAppHost, rpcPortOf } from '../../ours/bench-app-host';
import {
  appBusyMs,
  appRequests,
  chargeAppWorker,
  type CostTally,
  runCharged,
  startCostAttribution,
  totalBusyMs,
} from '../../ours/cost-attribution';
import { HANDOFF_SCENARIO } from '../../scenario/scenarios';
import type { OursOnlySamples } from '../ours-only-measurement';
import type { OursOnlyFigureId } from '../ours-only-figures';

/** The storage configurations measured, in this order. */
export const COST_SPLIT_STORAGES: readonly OursStorage[] = ['memory', 'azurite'];

interface PairFigures {
  workerCpu: number;
  app: number;
  orchestrator: number;
  activities: number;
  http: number;
  host: number;
  client: number;
  appStorageRequests: number;
  engineStorageRequests: number;
  appHostRequests: number;
  modelRequests: number;
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** A pair's figures per agent turn: the plain run's CPU split by the hooked run's shares. */
export function pairFigures(plainCpuMs: number, tally: CostTally, turns: number): PairFigures {
  const busy = totalBusyMs(tally);
  const share = (ms: number): number => (busy > 0 ? (plainCpuMs * ms) / busy / turns : 0);
  const requests = tally.requests;
  return {
    workerCpu: plainCpuMs / turns,
    app: share(appBusyMs(tally)),
    orchestrator: share(tally.busyMs['app:orchestrator']),
    activities: share(tally.busyMs['app:activity']),
    http: share(tally.busyMs['app:http'] + tally.busyMs['app:other']),
    host: share(tally.busyMs.host),
    client: share(tally.busyMs.client),
    appStorageRequests: appRequests(tally, 'storage') / turns,
    engineStorageRequests: requests.host.storage / turns,
    appHostRequests: appRequests(tally, 'host') / turns,
    modelRequests: (appRequests(tally, 'model') + requests.host.model) / turns,
  };
}

async function measureStorage(
  storage: OursStorage,
  model: ModelEndpoint,
  rounds: PhaseRounds,
): Promise<OursOnlySamples[]> {
  const framework = `durable-handoff-${storage}`;
  const scenario = HANDOFF_SCENARIO;
  const turns = scenario.route.length;
  const app: BenchAppHost = await startBenchAppHost({ storage, model, label: `${framework} (cost split)` });
  try {
    const run = async (): Promise<void> => {
      checkOutcome(framework, scenario, await runCharged('client', () => runOursOnce(app, scenario)));
    };
    for (let i = 0; i < rounds.warmup; i += 1) await run();
    const pairs: PairFigures[] = [];
    for (let i = 0; i < rounds.runs; i += 1) {
      const cpu = process.cpuUsage();
      await run();
      const plainCpuMs = cpuMsSince(cpu);
      const hooked = startCostAttribution({
        modelPort: Number(new URL(model.baseUrl).port),
        hostPort: Number(new URL(app.api).port),
        rpcPort: rpcPortOf(app),
      });
      try {
        await run();
      } finally {
        hooked.stop();
      }
      const figures = pairFigures(plainCpuMs, hooked.take(), turns);
      if (figures.modelRequests !== 1) {
        throw new BenchError(
          'run_mismatch',
          `${framework}: a ${scenario.name} run sent ${figures.modelRequests * turns} model requests, expected ${turns}; the attribution missed requests.`,
        );
      }
      pairs.push(figures);
    }
    const samples = (figure: OursOnlyFigureId, pick: (pair: PairFigures) => number, note?: string) => ({
      figure,
      framework,
      samples: pairs.map(pick),
      ...(note === undefined ? {} : { note }),
    });
    const split =
      'plain run CPU (process.cpuUsage) x share of main-thread busy time in the next, hooked run (async_hooks)';
    return [
      samples('worker_cpu_ms_per_turn', (p) => p.workerCpu, 'process.cpuUsage of a plain run / turns'),
      samples('app_cpu_ms_per_turn', (p) => p.app, split),
      samples('app_cpu_ms_per_turn_orchestrator', (p) => p.orchestrator, split),
      samples('app_cpu_ms_per_turn_activities', (p) => p.activities, split),
      samples('app_cpu_ms_per_turn_http', (p) => p.http, split),
      samples('host_cpu_ms_per_turn', (p) => p.host, split),
      samples('bench_client_cpu_ms_per_turn', (p) => p.client, split),
      samples(
        'app_storage_requests_per_turn',
        (p) => p.appStorageRequests,
        'HTTP requests to Azurite started by app code (http.client diagnostics channel) / turns',
      ),
      samples('engine_storage_requests_per_turn', (p) => p.engineStorageRequests),
      samples('app_host_requests_per_turn', (p) => p.appHostRequests),
    ];
  } finally {
    await app.stop();
  }
}

/** Measures every storage configuration in turn; the worker's entry points are charged to the app once. */
export async function costSplitTask(model: ModelEndpoint, rounds: PhaseRounds): Promise<OursOnlySamples[]> {
  chargeAppWorker(AppWorker as unknown as Parameters<typeof chargeAppWorker>[0]);
  const samples: OursOnlySamples[] = [];
  for (const storage of COST_SPLIT_STORAGES) samples.push(...(await measureStorage(storage, model, rounds)));
  return samples;
}
