/**
 * Runs only the long-conversation measurement (two 66-turn conversations on the local host, then
 * the replays of turns 5, 20, 45, 60 and 65) and prints its history figures: the quick way to see
 * what a change to the orchestrator or its activities does to history bytes per turn, without the
 * whole bench. Needs `npm run build` at the repository root first (it hosts `dist/`).
 *
 * @example
 * ```sh
 * npm run build && cd bench && node --import tsx src/tools/history-growth-report.ts
 * ```
 */
import { summarize } from '../measure/stats';
import { longConversationTask } from '../ours-only/long-conversation/long-conversation-task';

async function main(): Promise<void> {
  const samples = await longConversationTask({ warmup: 0, runs: 3 });
  for (const sample of samples) {
    if (!sample.figure.startsWith('history') && !sample.figure.startsWith('new_content')) continue;
    const stats = summarize(sample.samples);
    const spread =
      sample.samples.length > 1 ? ` (p10 ${stats.p10.toFixed(2)}, p90 ${stats.p90.toFixed(2)})` : '';
    console.log(`${sample.figure}: ${stats.median.toFixed(2)}${spread}`);
    if (sample.note) console.log(`  ${sample.note}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
