/**
 * The throughput phase: each framework starts `concurrency` runs of a scenario at once while the
 * model takes `latencyMs` per answer, in interleaved rounds. The ideal is a framework that costs
 * nothing: every run then takes exactly (agent turns x latency), and so does the whole batch,
 * since the runs wait on the model in parallel. Efficiency = ideal batch time / measured batch time.
 */
import { performance } from 'node:perf_hooks';
import type { BenchModelServer } from '../model-server/bench-model-server';
import type { Scenario } from '../scenario/scenarios';
import type { FrameworkWorkerHandle } from '../worker/framework-worker-handle';
import { checkModelRequests, checkOutcome } from './check-run';
import { roundOrder } from './interleaved-order';
import type { PhaseRounds } from './sequential-phase';

/** How the throughput phase loads the frameworks. */
export interface ThroughputLoad {
  concurrency: number;
  latencyMs: number;
}

/** One measured batch. */
export interface BatchSample {
  round: number;
  wallMs: number;
  runsPerSecond: number;
  /** Ideal batch time / measured batch time (1 = no framework cost at all). */
  efficiency: number;
  /**
   * CPU the runner process (the model server, practically alone in it) used during the batch, as a
   * fraction of one core. Near 1, the model server and not the framework limits the batch.
   */
  modelServerCpu: number;
  /** The worker process's CPU time during the batch, per run (ms). */
  workerCpuMsPerRun: number;
}

/** The batch time of a framework that costs nothing. */
export function idealBatchMs(scenario: Scenario, load: ThroughputLoad): number {
  return scenario.route.length * load.latencyMs;
}

/** Runs concurrent batches on every worker in interleaved rounds; returns the measured batches by framework name. */
export async function measureThroughput(
  workers: readonly FrameworkWorkerHandle[],
  server: BenchModelServer,
  scenario: Scenario,
  load: ThroughputLoad,
  rounds: PhaseRounds,
  log: (line: string) => void,
): Promise<Map<string, BatchSample[]>> {
  const samples = new Map<string, BatchSample[]>(workers.map((worker) => [worker.name, []]));
  server.setLatency(load.latencyMs);
  try {
    const total = rounds.warmup + rounds.runs;
    for (let index = 0; index < total; index += 1) {
      const round = index - rounds.warmup;
      for (const worker of roundOrder(workers, index)) {
        const cpuBefore = process.cpuUsage();
        const startedAt = performance.now();
        const batch = await worker.batch(scenario.name, load.concurrency);
        const elapsedMs = performance.now() - startedAt;
        const cpu = process.cpuUsage(cpuBefore);
        const usage = server.takeUsage();
        for (const outcome of batch.outcomes) checkOutcome(worker.name, scenario, outcome);
        checkModelRequests(worker.name, scenario, load.concurrency, usage.modelRequests);
        if (round >= 0) {
          samples.get(worker.name)!.push({
            round,
            wallMs: batch.wallMs,
            runsPerSecond: load.concurrency / (batch.wallMs / 1000),
            efficiency: idealBatchMs(scenario, load) / batch.wallMs,
            modelServerCpu: (cpu.user + cpu.system) / 1000 / elapsedMs,
            workerCpuMsPerRun: batch.cpuMs / load.concurrency,
          });
        }
      }
      log(`  throughput: round ${index + 1}/${total}${round < 0 ? ' (warm-up)' : ''}`);
    }
  } finally {
    server.setLatency(0);
  }
  return samples;
}
