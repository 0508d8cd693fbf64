/**
 * One bench session: starts the model server and one worker process per framework, runs the
 * sequential phase for each scenario and the throughput phase, then the ours-only measurements,
 * and stops everything it started, whatever happens.
 */
import type { BenchOptions } from './cli-options';
import type { BenchPhase } from './frameworks/framework-under-test';
import { frameworkEntry, FRAMEWORKS, takesPart } from './frameworks/registry';
import { measureSequential } from './measure/sequential-phase';
import { measureThroughput } from './measure/throughput-phase';
import {
  BENCH_API_KEY,
  BENCH_MODEL,
  type BenchModelServer,
  startBenchModelServer,
} from './model-server/bench-model-server';
import { OURS_ONLY_MEASUREMENTS, type OursOnlySamples } from './ours-only/ours-only-measurement';
import type { FrameworkInfo } from './report/bench-results';
import type { SessionSamples } from './report/build-results';
import { HANDOFF_SCENARIO, type Scenario, scenarioNamed } from './scenario/scenarios';
import { FrameworkWorkerHandle } from './worker/framework-worker-handle';

const MB = 1024 * 1024;

/** Runs the bench as `options` say and returns the raw samples (machine info is added by the caller). */
export async function runBenchSession(
  options: BenchOptions,
  log: (line: string) => void,
): Promise<Omit<SessionSamples, 'machine' | 'options'>> {
  const server = await startBenchModelServer();
  const workers: FrameworkWorkerHandle[] = [];
  try {
    const entries = FRAMEWORKS.filter((entry) => options.frameworks.includes(entry.name));
    const infos: FrameworkInfo[] = [];
    // Started one after the other, so each load time is measured on an otherwise idle machine.
    for (const entry of entries) {
      log(`starting ${entry.name}`);
      const worker = FrameworkWorkerHandle.start(entry.name);
      workers.push(worker);
      const ready = await worker.setup({
        baseUrl: server.baseUrl,
        apiKey: BENCH_API_KEY,
        model: BENCH_MODEL,
      });
      infos.push({
        name: entry.name,
        kind: entry.kind,
        description: ready.description,
        loadMs: ready.loadMs,
        setupMs: ready.setupMs,
        peakRssMb: { sequential: 0, throughput: null },
      });
    }
    const scenarios: SessionSamples['scenarios'] = [];
    const inPhase = (phase: BenchPhase) =>
      workers.filter((worker) => takesPart(frameworkEntry(worker.name), phase));
    for (const name of options.scenarios) {
      const scenario = scenarioNamed(name);
      log(`scenario ${scenario.name}: ${options.warmup} warm-up + ${options.runs} measured rounds`);
      const samples = await measureSequential(inPhase('sequential'), server, scenario, options, log);
      scenarios.push({ scenario, samples });
    }
    await recordPeakMemory(workers, infos, 'sequential');
    const throughput = options.throughput
      ? await throughputPhase(inPhase('throughput'), server, options, log)
      : null;
    if (throughput !== null) await recordPeakMemory(workers, infos, 'throughput');
    const oursOnly = await oursOnlyPhase(server, options, log);
    return { frameworks: infos, scenarios, throughput, oursOnly };
  } finally {
    await Promise.allSettled(workers.map((worker) => worker.stop()));
    await server.close();
  }
}

async function throughputPhase(
  workers: readonly FrameworkWorkerHandle[],
  server: BenchModelServer,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<NonNullable<SessionSamples['throughput']>> {
  const scenario: Scenario = HANDOFF_SCENARIO;
  const load = { concurrency: options.concurrency, latencyMs: options.latencyMs };
  log(
    `throughput: ${load.concurrency} concurrent ${scenario.name} runs at ${load.latencyMs} ms model latency`,
  );
  const samples = await measureThroughput(
    workers,
    server,
    scenario,
    load,
    { warmup: options.throughputWarmup, runs: options.throughputRuns },
    log,
  );
  return { scenario, load, samples };
}

async function oursOnlyPhase(
  server: BenchModelServer,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<OursOnlySamples[]> {
  const reported: OursOnlySamples[] = [];
  for (const measurement of OURS_ONLY_MEASUREMENTS) {
    log(`ours only: ${measurement.title}`);
    server.setLatency(0);
    reported.push(...(await measurement.measure({ server, rounds: options, log })));
  }
  return reported;
}

async function recordPeakMemory(
  workers: readonly FrameworkWorkerHandle[],
  infos: FrameworkInfo[],
  phase: 'sequential' | 'throughput',
): Promise<void> {
  for (const worker of workers) {
    const memory = await worker.memory();
    const info = infos.find((candidate) => candidate.name === worker.name)!;
    info.peakRssMb[phase] = memory.maxRss / MB;
    if (memory.children.length === 0) continue;
    const children: Record<string, number> = {};
    for (const child of memory.children)
      children[child.command] = (children[child.command] ?? 0) + child.maxRss / MB;
    info.childPeakRssMb ??= { sequential: {}, throughput: null };
    info.childPeakRssMb[phase] = children;
  }
}
