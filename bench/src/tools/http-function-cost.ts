/**
 * The CPU of the app's HTTP functions alone (#16): a status read repeated on one finished run, the
 * one HTTP function a run's cost can be measured without (it changes nothing, so every read does
 * the same work), and the HTTP functions' share of whole `handoff` runs (start and status read).
 *
 * - status reads: `--reads` reads in blocks of `--block`, each block's process CPU per read
 *   (`process.cpuUsage`: the bench client's requests, the local host's front door and the app's
 *   function together), then one hooked block for the app's share of it (see `cost-split.ts`);
 * - runs: `--runs` runs with the attribution hooks on; the app's HTTP functions' busy ms per run
 *   (hooked, so inflated: compare builds with it, not with other figures).
 *
 * With `--floor`, the status reads are CORS preflights of the status route instead (`OPTIONS` without an
 * `Origin`: 204, no body, no I/O, no span): the cost of the HTTP function path itself, the Functions
 * library's request and response conversions and the worker's invocation, with none of the route's work.
 *
 * With `--cpu-prof FILE`, the plain status reads are profiled (summarize with
 * `summarize-cpu-profile.ts FILE --per <reads>`).
 *
 * @example
 * ```sh
 * cd bench && node --import tsx src/tools/http-function-cost.ts --reads 2000 --runs 40
 * ```
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { runOursOnce } from '../frameworks/durable-handoff';
import { summarize } from '../measure/stats';
import { runCharged, startCostAttribution, totalBusyMs } from '../ours/cost-attribution';
import { BENCH_WORKFLOW, readRunStatusOverHttp, startRunOverHttp } from '../ours/run-api';
import { loadAverage } from '../report/machine-info';
import { HANDOFF_SCENARIO } from '../scenario/scenarios';
import { withChargedApp } from './charged-app';
import { startCpuProfiler } from './inspector-profilers';

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function line(label: string, values: readonly number[], unit: string): void {
  const { median, p10, p90 } = summarize(values);
  console.log(
    `${label.padEnd(64)} ${median.toFixed(3).padStart(8)} (${p10.toFixed(3)}–${p90.toFixed(3)}) ${unit}`,
  );
}

/** `OPTIONS` on a run's status route without an `Origin`: the route answers 204 before any of its work. */
async function preflightStatusRoute(api: string, runId: string): Promise<void> {
  const response = await fetch(`${api}/workflows/${BENCH_WORKFLOW}/status/${runId}`, { method: 'OPTIONS' });
  await response.arrayBuffer();
  if (response.status !== 204)
    throw new Error(`The status route's preflight answered ${response.status}, expected 204.`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      storage: { type: 'string', default: 'memory' },
      reads: { type: 'string', default: '2000' },
      block: { type: 'string', default: '100' },
      runs: { type: 'string', default: '40' },
      warmup: { type: 'string', default: '5' },
      'cpu-prof': { type: 'string' },
      floor: { type: 'boolean', default: false },
    },
  });
  const storage = values.storage === 'azurite' ? 'azurite' : 'memory';
  const reads = Number(values.reads);
  const block = Number(values.block);
  console.log(`load average at the start: ${loadAverage().join(' ')}`);
  await withChargedApp({ storage, label: 'http-function-cost' }, async (app, { classify }) => {
    const run = () => runCharged('client', () => runOursOnce(app, HANDOFF_SCENARIO));
    for (let i = 0; i < Number(values.warmup); i += 1) await run();

    const httpPerRun: number[] = [];
    const sharePerRun: number[] = [];
    for (let i = 0; i < Number(values.runs); i += 1) {
      const hooked = startCostAttribution(classify);
      try {
        await run();
      } finally {
        hooked.stop();
      }
      const tally = hooked.take();
      httpPerRun.push(tally.busyMs['app:http']);
      sharePerRun.push(tally.busyMs['app:http'] / totalBusyMs(tally));
    }

    const started = await runCharged('client', () => startRunOverHttp(app.api, HANDOFF_SCENARIO.userMessage));
    await app.engine.client.waitFor(started.runId, (status) => status.runtimeStatus === 'Completed', {
      timeoutMs: 30_000,
    });
    const read = values.floor
      ? () => runCharged('client', () => preflightStatusRoute(app.api, started.runId))
      : () => runCharged('client', () => readRunStatusOverHttp(app.api, started));
    for (let i = 0; i < block; i += 1) await read();
    const profiler = values['cpu-prof'] === undefined ? undefined : await startCpuProfiler();
    const cpuPerRead: number[] = [];
    for (let done = 0; done < reads; done += block) {
      const cpu = process.cpuUsage();
      for (let i = 0; i < block; i += 1) await read();
      cpuPerRead.push(cpuMsSince(cpu) / block);
    }
    if (profiler !== undefined && values['cpu-prof'] !== undefined) {
      await writeFile(values['cpu-prof'], JSON.stringify(await profiler.stop()));
    }
    const hooked = startCostAttribution(classify);
    try {
      for (let i = 0; i < block; i += 1) await read();
    } finally {
      hooked.stop();
    }
    const tally = hooked.take();
    const appShare = tally.busyMs['app:http'] / totalBusyMs(tally);

    console.log(`durable-handoff-${storage}, handoff scenario`);
    const what = values.floor ? 'status route preflight' : 'status read';
    line(`process CPU per ${what} (blocks of ${block})`, cpuPerRead, 'ms');
    line(
      `  of it the app's HTTP function (x its hooked share, ${(appShare * 100).toFixed(0)} %)`,
      cpuPerRead.map((ms) => ms * appShare),
      'ms',
    );
    if (httpPerRun.length > 0) {
      line("app's HTTP functions per run, hooked busy time (start + status)", httpPerRun, 'ms');
      line(
        "  their share of the run's hooked busy time",
        sharePerRun.map((share) => share * 100),
        '%',
      );
    }
    console.log(`load average at the end: ${loadAverage().join(' ')}`);
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
