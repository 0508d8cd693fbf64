/**
 * The sequential phase: each framework runs a scenario alone (one run at a time, zero model
 * latency), in interleaved rounds. Per run it records the wall time (taken in the worker, around
 * `runOnce`), the model server's time on the run's requests, and the framework overhead per agent
 * turn: (wall time - server time) / agent turns.
 */
import type { BenchModelServer } from '../model-server/bench-model-server';
import type { Scenario } from '../scenario/scenarios';
import type { FrameworkWorkerHandle } from '../worker/framework-worker-handle';
import { checkModelRequests, checkOutcome } from './check-run';
import { roundOrder } from './interleaved-order';

/** One measured run. */
export interface RunSample {
  /** The round it belongs to (0-based); samples of different frameworks in one round ran back to back. */
  round: number;
  wallMs: number;
  serverMs: number;
  modelRequests: number;
  overheadPerTurnMs: number;
  /**
   * The worker process's CPU time per agent turn: the framework's own work, without the model
   * server's (another process). Less sensitive than wall time to other load on the machine.
   */
  cpuPerTurnMs: number;
}

/** Rounds to run: unrecorded warm-up rounds first, then measured ones. */
export interface PhaseRounds {
  warmup: number;
  runs: number;
}

/** Runs `scenario` on every worker in interleaved rounds and returns the measured samples by framework name. */
export async function measureSequential(
  workers: readonly FrameworkWorkerHandle[],
  server: BenchModelServer,
  scenario: Scenario,
  rounds: PhaseRounds,
  log: (line: string) => void,
): Promise<Map<string, RunSample[]>> {
  server.setLatency(0);
  const samples = new Map<string, RunSample[]>(workers.map((worker) => [worker.name, []]));
  const total = rounds.warmup + rounds.runs;
  for (let index = 0; index < total; index += 1) {
    const round = index - rounds.warmup;
    for (const worker of roundOrder(workers, index)) {
      const sample = await runOnce(worker, server, scenario, round);
      if (round >= 0) samples.get(worker.name)!.push(sample);
    }
    if ((index + 1) % 10 === 0 || index + 1 === total) {
      log(`  ${scenario.name}: round ${index + 1}/${total}${round < 0 ? ' (warm-up)' : ''}`);
    }
  }
  return samples;
}

async function runOnce(
  worker: FrameworkWorkerHandle,
  server: BenchModelServer,
  scenario: Scenario,
  round: number,
): Promise<RunSample> {
  const ran = await worker.run(scenario.name);
  const usage = server.takeUsage();
  checkOutcome(worker.name, scenario, ran.outcome);
  checkModelRequests(worker.name, scenario, 1, usage.modelRequests);
  return {
    round,
    wallMs: ran.wallMs,
    serverMs: usage.serverMs,
    modelRequests: usage.modelRequests,
    overheadPerTurnMs: (ran.wallMs - usage.serverMs) / scenario.route.length,
    cpuPerTurnMs: ran.cpuMs / scenario.route.length,
  };
}
