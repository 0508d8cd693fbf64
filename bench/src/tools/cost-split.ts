/**
 * Runs the cost-split measurement alone (see `ours-only/cost-split/cost-split-task.ts`): the CPU
 * per agent turn of the app, of the local host and of the bench client, and the storage requests
 * per turn, with memory storage and with Azurite. Prints the medians and, with `--out FILE`,
 * writes them with the machine's load.
 *
 * @example
 * ```sh
 * cd bench && node --import tsx src/tools/cost-split.ts --runs 100 --warmup 20 --out results/cost-split.json
 * ```
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { summarize } from '../measure/stats';
import { BENCH_API_KEY, BENCH_MODEL, startBenchModelServer } from '../model-server/bench-model-server';
import { costSplitTask } from '../ours-only/cost-split/cost-split-task';
import { OURS_ONLY_FIGURES } from '../ours-only/ours-only-figures';
import { PROJECT_DIR } from '../ours/bench-app-host';
import { loadAverage, machineInfo } from '../report/machine-info';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '50' },
      warmup: { type: 'string', default: '10' },
      out: { type: 'string' },
    },
  });
  const loadStart = loadAverage();
  const server = await startBenchModelServer();
  try {
    const samples = await costSplitTask(
      { baseUrl: server.baseUrl, apiKey: BENCH_API_KEY, model: BENCH_MODEL },
      { warmup: Number(values.warmup), runs: Number(values.runs) },
    );
    const figures = samples.map((s) => ({
      id: s.figure,
      framework: s.framework,
      label: OURS_ONLY_FIGURES[s.figure].label,
      unit: OURS_ONLY_FIGURES[s.figure].unit,
      stats: summarize(s.samples),
    }));
    for (const f of figures) {
      const { median, p10, p90 } = f.stats;
      console.log(
        `${f.framework.padEnd(24)} ${f.label.padEnd(84)} ${median.toFixed(2).padStart(8)} (${p10.toFixed(2)}–${p90.toFixed(2)}) ${f.unit}`,
      );
    }
    if (values.out !== undefined) {
      const result = {
        command: `node --import tsx src/tools/cost-split.ts --runs ${values.runs} --warmup ${values.warmup}`,
        machine: { ...machineInfo(PROJECT_DIR), loadAverage: { start: loadStart, end: loadAverage() } },
        figures,
      };
      await writeFile(values.out, `${JSON.stringify(result, null, 2)}\n`);
    }
  } finally {
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
