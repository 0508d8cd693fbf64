/**
 * Runs only the long-conversation measurement (two 66-turn conversations on the local host, then
 * the replays of turns 5, 20, 45, 60 and 65) and prints its history figures and, with `--replay`,
 * its replay figures: the quick way to see what a change to the orchestrator or its activities does
 * to history bytes per turn and to the replay cost by position, without the whole bench. Needs
 * `npm run build` at the repository root first (it hosts `dist/`).
 *
 * `--runs` / `--warmup` set the replay rounds (default 3 / 0); with `--cpu-prof` many rounds make
 * the replays dominate the profile (the conversations themselves take about 5 s).
 *
 * @example
 * ```sh
 * npm run build && cd bench && node --import tsx src/tools/history-growth-report.ts
 * node --import tsx src/tools/history-growth-report.ts --replay --runs 200 --warmup 20
 * ```
 */
import { parseArgs } from 'node:util';
import { summarize } from '../measure/stats';
import { longConversationTask } from '../ours-only/long-conversation/long-conversation-task';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '0' },
    replay: { type: 'boolean', default: false },
  },
});

async function main(): Promise<void> {
  const samples = await longConversationTask({ warmup: Number(values.warmup), runs: Number(values.runs) });
  for (const sample of samples) {
    const history = sample.figure.startsWith('history') || sample.figure.startsWith('new_content');
    if (!history && !(values.replay && sample.figure.startsWith('replay'))) continue;
    const stats = summarize(sample.samples);
    const spread =
      sample.samples.length > 1 ? ` (p10 ${stats.p10.toFixed(2)}, p90 ${stats.p90.toFixed(2)})` : '';
    console.log(`${sample.figure}: ${stats.median.toFixed(3)}${spread}`);
    if (sample.note) console.log(`  ${sample.note}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
