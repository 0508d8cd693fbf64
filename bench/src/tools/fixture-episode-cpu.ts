/**
 * CPU per orchestrator episode: replays every episode of the committed handoff histories
 * (`tests/fixtures/histories/handoff`) through the local host worker's `callOrchestrator`, as the
 * engine does, `--runs` rounds after `--warmup`, and prints the process's CPU per episode (median,
 * p10, p90 over rounds). The sample app's orchestrator from `dist/`: run `npm run build` first, and
 * A/B two builds back to back (the machine's load moves the absolute figure).
 *
 * @example
 * ```sh
 * npm run build && cd bench && node --import tsx src/tools/fixture-episode-cpu.ts --runs 150
 * ```
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { callOrchestrator } from '../../../dist/devhost/durable/engine/orchestrator-call.js';
import { AppWorker } from '../../../dist/devhost/worker/app-worker.js';
import { summarize } from '../measure/stats';
import { PROJECT_DIR } from '../ours/bench-app-host';

interface Recording {
  orchestrator: string;
  executions: { episodes: { payload: Parameters<typeof callOrchestrator>[2] }[] }[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { runs: { type: 'string', default: '100' }, warmup: { type: 'string', default: '10' } },
  });
  const worker = await AppWorker.start({ appDir: path.join(PROJECT_DIR, 'sample'), log: () => undefined });
  try {
    const dir = path.join(PROJECT_DIR, 'tests/fixtures/histories/handoff');
    const episodes: {
      orchestrator: string;
      payload: Recording['executions'][number]['episodes'][number]['payload'];
    }[] = [];
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
      const recording = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Recording;
      for (const execution of recording.executions) {
        for (const episode of execution.episodes) {
          episodes.push({ orchestrator: recording.orchestrator, payload: episode.payload });
        }
      }
    }
    const warmup = Number(values.warmup);
    const perEpisode: number[] = [];
    for (let round = 0; round < warmup + Number(values.runs); round += 1) {
      const start = process.cpuUsage();
      for (const episode of episodes) await callOrchestrator(worker, episode.orchestrator, episode.payload);
      const used = process.cpuUsage(start);
      if (round >= warmup) perEpisode.push((used.user + used.system) / 1000 / episodes.length);
    }
    const stats = summarize(perEpisode);
    console.log(
      `${episodes.length} episodes, CPU ms per episode: median ${stats.median.toFixed(3)} ` +
        `(p10 ${stats.p10.toFixed(3)}, p90 ${stats.p90.toFixed(3)}), load ${(await import('node:os')).loadavg()[0]?.toFixed(2)}`,
    );
  } finally {
    await worker.terminate();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
