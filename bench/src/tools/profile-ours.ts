/**
 * Profiles durable-handoff's runs: starts the app on the local host in this process (as the
 * bench's worker does), runs a scenario sequentially or in concurrent batches, and prints where
 * the wall time went: this process's CPU, Azurite's CPU (a separate process), and the rest (waiting).
 * With `--cpu-prof FILE`, the measured runs (not the start-up, not the warm-up) are profiled with
 * V8's CPU profiler (through `node:inspector`, as `node --cpu-prof` does for a whole process) and
 * the profile is written to FILE; summarize it with `summarize-cpu-profile.ts`. With `--heap-prof
 * FILE`, V8's sampling heap profiler records what the measured runs allocate, garbage included
 * (the objects collected since count too), and writes it to FILE; summarize it with
 * `summarize-heap-profile.ts`.
 *
 * @example
 * ```sh
 * cd bench && node --import tsx src/tools/profile-ours.ts --storage memory --runs 200 --cpu-prof /tmp/ours.cpuprofile
 * node --import tsx src/tools/summarize-cpu-profile.ts /tmp/ours.cpuprofile --per 200
 * ```
 */
import { writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createDurableHandoff } from '../frameworks/durable-handoff';
import { childProcessUsage, processUsage } from '../measure/process-usage';
import { BENCH_API_KEY, BENCH_MODEL, startBenchModelServer } from '../model-server/bench-model-server';
import { scenarioNamed } from '../scenario/scenarios';
import { startCpuProfiler, startHeapProfiler } from './inspector-profilers';

function azuriteCpuMs(pid: number | undefined): number | undefined {
  return pid === undefined ? undefined : processUsage(pid)?.cpuMs;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      storage: { type: 'string', default: 'memory' },
      scenario: { type: 'string', default: 'handoff' },
      runs: { type: 'string', default: '100' },
      warmup: { type: 'string', default: '20' },
      concurrency: { type: 'string', default: '1' },
      latency: { type: 'string', default: '0' },
      'cpu-prof': { type: 'string' },
      'heap-prof': { type: 'string' },
      'durable-limit': { type: 'string' },
      'orchestrator-limit': { type: 'string' },
    },
  });
  const storage = values.storage === 'azurite' ? 'azurite' : 'memory';
  const scenario = scenarioNamed(values.scenario);
  const runs = Number(values.runs);
  const concurrency = Number(values.concurrency);
  const server = await startBenchModelServer();
  const limit = values['durable-limit'];
  const orchestratorLimit = values['orchestrator-limit'];
  const framework = createDurableHandoff(
    storage,
    limit === undefined
      ? {}
      : {
          concurrency: Number(limit),
          ...(orchestratorLimit === undefined ? {} : { orchestratorConcurrency: Number(orchestratorLimit) }),
        },
  );
  try {
    await framework.setup({ baseUrl: server.baseUrl, apiKey: BENCH_API_KEY, model: BENCH_MODEL });
    const batch = () => Promise.all(Array.from({ length: concurrency }, () => framework.runOnce(scenario)));
    for (let i = 0; i < Number(values.warmup); i += 1) await batch();
    server.takeUsage();
    server.setLatency(Number(values.latency));
    const profiler = values['cpu-prof'] === undefined ? undefined : await startCpuProfiler();
    const heapProfiler = values['heap-prof'] === undefined ? undefined : await startHeapProfiler();
    const cpu = process.cpuUsage();
    const azurite = childProcessUsage().find((child) => child.command === 'azurite')?.pid;
    const azuriteBefore = azuriteCpuMs(azurite);
    const start = performance.now();
    for (let i = 0; i < runs; i += 1) await batch();
    const wallMs = performance.now() - start;
    const used = process.cpuUsage(cpu);
    if (profiler !== undefined && values['cpu-prof'] !== undefined) {
      await writeFile(values['cpu-prof'], JSON.stringify(await profiler.stop()));
    }
    if (heapProfiler !== undefined && values['heap-prof'] !== undefined) {
      await writeFile(values['heap-prof'], JSON.stringify(await heapProfiler.stop()));
    }
    const azuriteAfter = azuriteCpuMs(azurite);
    const usage = server.takeUsage();
    const per = runs * concurrency;
    const line = (label: string, ms: number) =>
      console.log(`${label.padEnd(34)} ${(ms / runs).toFixed(2).padStart(9)} ms per batch of ${concurrency}`);
    console.log(
      `${per} runs of ${scenario.name} on durable-handoff-${storage}, ${usage.modelRequests} model requests`,
    );
    line('wall', wallMs);
    line('this process CPU (user+system)', (used.user + used.system) / 1000);
    line('model server time (in process)', usage.serverMs);
    if (azuriteBefore !== undefined && azuriteAfter !== undefined)
      line('Azurite CPU', azuriteAfter - azuriteBefore);
    const azuriteUsage = azurite === undefined ? undefined : processUsage(azurite);
    console.log(
      `peak RSS: this process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB` +
        (azuriteUsage === undefined
          ? ''
          : `, Azurite ${(azuriteUsage.peakRssBytes / 2 ** 20).toFixed(0)} MB`),
    );
  } finally {
    await framework.teardown();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
