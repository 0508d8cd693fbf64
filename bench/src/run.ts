/**
 * `npm run bench`: runs the bench, prints the report and writes bench/results/latest.json.
 *
 * @example
 * ```sh
 * npm run bench -- --quick --only openai-agents,langgraph-swarm-memory
 * ```
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { BenchError } from './bench-error';
import { runBenchSession } from './bench-session';
import { parseBenchOptions, USAGE } from './cli-options';
import { buildResults } from './report/build-results';
import { loadAverage, machineInfo } from './report/machine-info';
import { renderReport } from './report/print-tables';

const BENCH_DIRECTORY = resolve(__dirname, '..');

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2), BENCH_DIRECTORY);
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const log = (line: string) => console.error(line);
  const machine = machineInfo(resolve(BENCH_DIRECTORY, '..'));
  const loadAtStart = loadAverage();
  log(`load average at start: ${loadAtStart.join(', ')} on ${machine.cores} cores`);
  const session = await runBenchSession(options, log);
  const results = buildResults({
    machine: { ...machine, loadAverage: { start: loadAtStart, end: loadAverage() } },
    options: {
      runs: options.runs,
      warmup: options.warmup,
      throughputRuns: options.throughputRuns,
      throughputWarmup: options.throughputWarmup,
      concurrency: options.concurrency,
      latencyMs: options.latencyMs,
      scenarios: options.scenarios,
      frameworks: options.frameworks,
      quick: options.quick,
    },
    ...session,
  });
  console.log(renderReport(results));
  await mkdir(dirname(options.out), { recursive: true });
  await writeFile(options.out, `${JSON.stringify(results, null, 2)}\n`);
  log(`results written to ${options.out}`);
}

main().catch((error: unknown) => {
  const message = error instanceof BenchError ? `bench stopped (${error.code}): ${error.message}` : error;
  console.error(message);
  process.exitCode = 1;
});
