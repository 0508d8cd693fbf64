/**
 * Profiles durable-handoff's runs: starts the app on the local host in this process (as the
 * bench's worker does), runs a scenario sequentially or in concurrent batches, and prints where
 * the wall time went: this process's CPU, Azurite's CPU (a separate process), and the rest (waiting).
 * With `--cpu-prof FILE`, the measured runs (not the start-up, not the warm-up) are profiled with
 * V8's CPU profiler (through `node:inspector`, as `node --cpu-prof` does for a whole process) and
 * the profile is written to FILE; summarize it with `summarize-cpu-profile.ts`. With `--heap-prof
 * FILE`, V8's sampling heap profiler records what the measured runs allocate, garbage included
 * (the objects collected since count too), and writes it to FILE; summarize it with
 * `summarize-heap-profile.ts`. With `--memory-sample`, the process's memory is sampled through the
 * measured batches and printed at the highest RSS (JS heap by space, external). With
 * `--heap-snapshot FILE`, a heap snapshot is written to FILE after the batches, and with
 * `--snapshot-in-batch MS` another (`FILE.in-batch`) MS ms into the last batch; summarize or
 * compare them with `summarize-heap-snapshot.ts`. With `--threads`, each thread of this process
 * (told apart by creation order: main, V8 platform workers, libuv's pool, ...) and each descendant
 * process (Azurite) is printed with its CPU and its time waiting for a CPU during the measured
 * batches, with the load average: where the batch's CPU ran and whether the main thread waited on
 * the machine's cores or on I/O. With `--hops`, the HTTP exchanges of the measured runs are counted
 * by hop (sent and served by this process) with the TCP connections opened, per run, and the event
 * loop's delay (`src/measure/http-exchange-count.ts`).
 *
 * The bench runs durable-handoff's workers with the heap limit of its deployment
 * (`OURS_DEPLOYED_NODE_OPTIONS`); start this tool with the same options to see the same memory.
 *
 * @example
 * ```sh
 * cd bench && node --max-old-space-size=512 --import tsx src/tools/profile-ours.ts --storage memory --runs 200 --cpu-prof /tmp/ours.cpuprofile
 * node --import tsx src/tools/summarize-cpu-profile.ts /tmp/ours.cpuprofile --per 200
 * ```
 */
import { writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import * as v8 from 'node:v8';
import { createDurableHandoff } from '../frameworks/durable-handoff';
import { OURS_DEPLOYED_NODE_OPTIONS } from '../frameworks/registry';
import { loadavg } from 'node:os';
import { countHttpExchanges, type HttpExchangeCounts } from '../measure/http-exchange-count';
import { childProcessUsage, processUsage } from '../measure/process-usage';
import {
  descendantPids,
  nodeThreadRole,
  processThreads,
  threadDelta,
  type ProcessThreads,
} from '../measure/thread-usage';
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
      'memory-sample': { type: 'boolean', default: false },
      'heap-snapshot': { type: 'string' },
      'snapshot-in-batch': { type: 'string' },
      threads: { type: 'boolean', default: false },
      hops: { type: 'boolean', default: false },
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
    const sampler = values['memory-sample'] ? startMemorySampler() : undefined;
    const elu = performance.eventLoopUtilization();
    const cpu = process.cpuUsage();
    const azurite = childProcessUsage().find((child) => child.command === 'azurite')?.pid;
    const azuriteBefore = azuriteCpuMs(azurite);
    const threadsBefore = values.threads ? readThreads() : undefined;
    const exchanges = values.hops ? countHttpExchanges() : undefined;
    const start = performance.now();
    const snapshot = values['heap-snapshot'];
    for (let i = 0; i < runs; i += 1) {
      const inBatch = values['snapshot-in-batch'];
      if (snapshot !== undefined && inBatch !== undefined && i === runs - 1) {
        // Into the last batch, with its runs in flight. The snapshot pauses the process for
        // seconds, longer than the keep-alive timeouts of its HTTP connections: expect resets.
        const timer = setTimeout(() => v8.writeHeapSnapshot(`${snapshot}.in-batch`), Number(inBatch));
        await batch();
        clearTimeout(timer);
      } else {
        await batch();
      }
    }
    const wallMs = performance.now() - start;
    const exchangeCounts = exchanges?.stop();
    const threadsAfter = threadsBefore === undefined ? undefined : readThreads();
    const used = process.cpuUsage(cpu);
    const busy = performance.eventLoopUtilization(elu);
    const memoryAtPeak = sampler?.stop();
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
    line('main thread busy (event loop)', busy.active / runs);
    line('model server time (in process)', usage.serverMs);
    if (azuriteBefore !== undefined && azuriteAfter !== undefined)
      line('Azurite CPU', azuriteAfter - azuriteBefore);
    const azuriteUsage = azurite === undefined ? undefined : processUsage(azurite);
    const heapLimitMb = v8.getHeapStatistics().heap_size_limit / 2 ** 20;
    console.log(
      `heap limit ${heapLimitMb.toFixed(0)} MB (the bench's durable-handoff workers run with ${OURS_DEPLOYED_NODE_OPTIONS.join(' ')})`,
    );
    console.log(
      `peak RSS: this process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB` +
        (azuriteUsage === undefined
          ? ''
          : `, Azurite ${(azuriteUsage.peakRssBytes / 2 ** 20).toFixed(0)} MB`),
    );
    if (memoryAtPeak !== undefined) printMemoryAtPeak(memoryAtPeak);
    if (threadsBefore !== undefined && threadsAfter !== undefined) {
      printThreads(threadsBefore, threadsAfter, runs);
    }
    if (exchangeCounts !== undefined) printExchanges(exchangeCounts, per);
    if (snapshot !== undefined) {
      // No run in flight: what stays after the batches.
      v8.writeHeapSnapshot(snapshot);
      console.log(`heap snapshot after the batches: ${snapshot}`);
    }
  } finally {
    await framework.teardown();
    await server.close();
  }
}

/** This process's threads and its descendant processes' threads, with the load average. */
interface ThreadsReading {
  own: ProcessThreads | undefined;
  descendants: ProcessThreads[];
  loadAverage: number;
}

function readThreads(): ThreadsReading {
  return {
    own: processThreads(process.pid),
    descendants: descendantPids(process.pid).flatMap((pid) => processThreads(pid) ?? []),
    loadAverage: loadavg()[0] ?? 0,
  };
}

/** `--v8-pool-size` as this process was started with (Node's default is 4). */
function v8PoolSize(): number {
  const flag = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].find((arg) =>
    arg.startsWith('--v8-pool-size='),
  );
  return flag === undefined ? 4 : Number(flag.split('=')[1]);
}

/**
 * CPU and run-queue wait per batch of each thread group of this process and of each descendant
 * process: the main thread's wall time is its CPU, its wait for a core, and the rest asleep in
 * the event loop (waiting on sockets and timers).
 */
function printThreads(before: ThreadsReading, after: ThreadsReading, batches: number): void {
  const ms = (value: number) => `${(value / batches).toFixed(0).padStart(6)} ms`;
  const row = (label: string, cpuMs: number, runQueueMs: number, systemMs: number) =>
    console.log(
      `  ${label.padEnd(34)} on a CPU ${ms(cpuMs)} (kernel ${ms(systemMs)}), waiting for a CPU ${ms(runQueueMs)}`,
    );
  console.log(
    `per batch, load average ${before.loadAverage.toFixed(2)} at the start, ${after.loadAverage.toFixed(2)} at the end:`,
  );
  if (after.own !== undefined) {
    const pool = v8PoolSize();
    const groups = new Map<string, { cpuMs: number; runQueueMs: number; systemMs: number; count: number }>();
    const rankOf = new Map(after.own.threads.map((thread, rank) => [thread.tid, rank]));
    for (const thread of threadDelta(before.own, after.own)) {
      const rank = rankOf.get(thread.tid) ?? 0;
      const role = nodeThreadRole(rank, pool);
      // Threads started later are listed one by one: libuv's pool and any other thread.
      const label = role === 'later thread' ? `later thread (rank ${rank})` : role;
      const group = groups.get(label) ?? { cpuMs: 0, runQueueMs: 0, systemMs: 0, count: 0 };
      groups.set(label, {
        cpuMs: group.cpuMs + thread.cpuMs,
        runQueueMs: group.runQueueMs + thread.runQueueMs,
        systemMs: group.systemMs + thread.systemMs,
        count: group.count + 1,
      });
    }
    console.log(`this process (${after.own.threads.length} threads):`);
    for (const [label, group] of groups) {
      row(
        group.count > 1 ? `${label} x${group.count}` : label,
        group.cpuMs,
        group.runQueueMs,
        group.systemMs,
      );
    }
  }
  for (const child of after.descendants) {
    const delta = threadDelta(
      before.descendants.find((earlier) => earlier.pid === child.pid),
      child,
    );
    const sum = (key: 'cpuMs' | 'runQueueMs' | 'systemMs') =>
      delta.reduce((total, thread) => total + thread[key], 0);
    const [main] = delta;
    console.log(`descendant ${child.command} (pid ${child.pid}, ${child.threads.length} threads):`);
    row('all threads', sum('cpuMs'), sum('runQueueMs'), sum('systemMs'));
    if (main !== undefined) row('main thread', main.cpuMs, main.runQueueMs, main.systemMs);
  }
}

/** The exchanges per run by hop, the connections opened per run, and the event loop's delay. */
function printExchanges(counts: HttpExchangeCounts, runs: number): void {
  const rows = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .map(([hop, count]) => `  ${hop.padEnd(40)} ${(count / runs).toFixed(2).padStart(6)} per run`);
  const total = (map: Map<string, number>) => [...map.values()].reduce((sum, count) => sum + count, 0);
  console.log(`HTTP requests sent by this process (${(total(counts.sent) / runs).toFixed(2)} per run):`);
  for (const row of rows(counts.sent)) console.log(row);
  console.log(`HTTP requests served by this process (${(total(counts.served) / runs).toFixed(2)} per run):`);
  for (const row of rows(counts.served)) console.log(row);
  console.log(`TCP connections opened (${(total(counts.connected) / runs).toFixed(2)} per run):`);
  for (const row of rows(counts.connected)) console.log(row);
  const { mean, p99, max } = counts.loopDelayMs;
  console.log(
    `event-loop delay: mean ${mean.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms`,
  );
}

/** `process.memoryUsage()` and V8's heap spaces at the sample with the highest RSS. */
interface MemoryAtPeak {
  usage: NodeJS.MemoryUsage;
  spaces: v8.HeapSpaceInfo[];
  samples: number;
}

/**
 * Samples the process's memory every 10 ms through the measured batches and keeps the sample with
 * the highest RSS: what the peak is made of (JS heap by space, external, the rest native).
 */
function startMemorySampler(): { stop(): MemoryAtPeak } {
  let peak: MemoryAtPeak = { usage: process.memoryUsage(), spaces: v8.getHeapSpaceStatistics(), samples: 0 };
  let samples = 0;
  const timer = setInterval(() => {
    samples += 1;
    const usage = process.memoryUsage();
    if (usage.rss > peak.usage.rss) peak = { usage, spaces: v8.getHeapSpaceStatistics(), samples };
  }, 10);
  return {
    stop() {
      clearInterval(timer);
      return { ...peak, samples };
    },
  };
}

function printMemoryAtPeak(peak: MemoryAtPeak): void {
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
  const { usage } = peak;
  console.log(
    `at the sampled RSS peak (${peak.samples} samples): rss ${mb(usage.rss)}, heapTotal ${mb(usage.heapTotal)}, ` +
      `heapUsed ${mb(usage.heapUsed)}, external ${mb(usage.external)} (arrayBuffers ${mb(usage.arrayBuffers)}), ` +
      `rss outside the JS heap ${mb(usage.rss - usage.heapTotal)}`,
  );
  for (const space of peak.spaces) {
    if (space.space_size === 0) continue;
    console.log(
      `  ${space.space_name.padEnd(26)} size ${mb(space.space_size).padStart(9)}, used ${mb(space.space_used_size).padStart(9)}, ` +
        `committed ${mb(space.physical_space_size).padStart(9)}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
