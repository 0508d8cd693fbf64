/**
 * Time to first visible token alone (the `first-token` ours-only measurement of `npm run bench`),
 * with its own run count and settings; prints p50 and p90 for a reader on the turn's instance and
 * on another one, with the machine's load, and writes them to `bench/results/first-token.json`.
 *
 * @example
 * ```sh
 * npm run build && cd bench && node --import tsx src/tools/first-token-latency.ts --runs 50
 * ```
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { summarize, type Stats } from '../measure/stats';
import { measureFirstToken } from '../ours-only/first-token/first-token-measurement';
import { PROJECT_DIR } from '../ours/bench-app-host';
import { loadAverage, machineInfo } from '../report/machine-info';

const RESULTS = resolve(__dirname, '../../results/first-token.json');

/** Issue #13's goals for the median. */
const GOALS = { sameInstance: 150, otherInstance: 700 };

function line(label: string, stats: Stats, goal: number): string {
  const ms = (value: number) => `${value.toFixed(1)} ms`.padStart(9);
  return (
    `${label.padEnd(15)} p50 ${ms(stats.median)}  p90 ${ms(stats.p90)}  min ${ms(stats.min)}  max ${ms(stats.max)}` +
    `  goal p50 < ${goal} ms: ${stats.median < goal ? 'met' : 'missed'}`
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '30' },
      warmup: { type: 'string', default: '3' },
      'think-ms': { type: 'string', default: '1000' },
      'chunk-ms': { type: 'string', default: '40' },
      'poll-ms': { type: 'string' },
    },
  });
  const settings = {
    runs: Number(values.runs),
    warmup: Number(values.warmup),
    thinkMs: Number(values['think-ms']),
    chunkMs: Number(values['chunk-ms']),
    ...(values['poll-ms'] !== undefined ? { pollMs: Number(values['poll-ms']) } : {}),
  };
  const loadBefore = loadAverage();
  const samples = await measureFirstToken({ ...settings, log: (text) => process.stderr.write(`${text}\n`) });
  const loadAfter = loadAverage();
  const same = summarize(samples.map((sample) => sample.sameInstanceMs));
  const other = summarize(samples.map((sample) => sample.otherInstanceMs));
  console.log(
    `time to first visible token over ${settings.runs} runs (the model's first text chunk -> the SSE client's ` +
      `first delta), event streams polling every ${settings.pollMs ?? 500} ms`,
  );
  console.log(line('same instance', same, GOALS.sameInstance));
  console.log(line('other instance', other, GOALS.otherInstance));
  console.log(`load average (1, 5, 15 min): before ${loadBefore.join(', ')}; after ${loadAfter.join(', ')}`);
  mkdirSync(resolve(RESULTS, '..'), { recursive: true });
  const machine = { ...machineInfo(PROJECT_DIR), loadAverageBefore: loadBefore, loadAverageAfter: loadAfter };
  const figures = { settings, sameInstance: same, otherInstance: other, goals: GOALS, machine, samples };
  writeFileSync(RESULTS, `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`written to ${RESULTS}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
