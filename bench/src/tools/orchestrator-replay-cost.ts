/**
 * The CPU of durable-functions' orchestrator handler with the app's orchestrator in it, per replayed
 * episode, without the Functions library or the local host around it: every episode of the
 * committed handoff histories (`tests/fixtures/histories/handoff`) is handed to the handler as the
 * library hands it the trigger (the episode's payload, parsed; not counted), and its result is
 * serialized as the library does (counted).
 *
 * Each `--dist DIR` is a build of the app (its `dist/`; by default this checkout's). With two or
 * more, each gets its own orchestrator (on the one durable-functions) and they are measured in
 * alternating rounds, so the machine's load falls on each alike: an A/B of two builds in one
 * process. A build outside this checkout must sit where Node finds this checkout's `node_modules`
 * (e.g. a copy of `dist/` under `node_modules/.ab/`). Every workflow name is taken as known.
 *
 * @example
 * ```sh
 * npm run build && cd bench && node --import tsx src/tools/orchestrator-replay-cost.ts
 * cd bench && node --import tsx src/tools/orchestrator-replay-cost.ts --dist ../node_modules/.ab/before --dist ../dist
 * ```
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { summarize } from '../measure/stats';
import { PROJECT_DIR } from '../ours/bench-app-host';
import { loadAverage } from '../report/machine-info';

type Handler = (trigger: unknown, context: Record<string, unknown>) => unknown;

interface Recording {
  executions: { episodes: { payload: unknown }[] }[];
}

/** durable-functions' handler around the orchestrator of the build in `dist`. */
function handlerOf(dist: string): Handler {
  const load = createRequire(path.join(path.resolve(dist), 'index.js'));
  const sdk = load('./src/durable/durable-functions-sdk.js') as {
    createOrchestrator(orchestrator: unknown): Handler;
  };
  const orchestrator = load('./src/durable/orchestrator/handoff-orchestrator.js') as {
    createHandoffOrchestrator(workflows: { has(name: string): boolean; list(): { name: string }[] }): unknown;
  };
  return sdk.createOrchestrator(orchestrator.createHandoffOrchestrator({ has: () => true, list: () => [] }));
}

/** Replays every episode once; returns the CPU µs per episode. */
async function round(handler: Handler, payloads: readonly string[]): Promise<number> {
  // durable-functions changes the history it is handed (timestamps to dates): a fresh parse per round.
  const triggers = payloads.map((text) => JSON.parse(text) as unknown);
  const start = process.cpuUsage();
  for (const trigger of triggers) JSON.stringify(await handler(trigger, {}));
  const used = process.cpuUsage(start);
  return (used.user + used.system) / payloads.length;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dist: { type: 'string', multiple: true },
      rounds: { type: 'string', default: '200' },
      warmup: { type: 'string', default: '30' },
    },
  });
  const dists = values.dist ?? [path.join(PROJECT_DIR, 'dist')];
  const dir = path.join(PROJECT_DIR, 'tests/fixtures/histories/handoff');
  const payloads: string[] = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    const recording = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Recording;
    for (const execution of recording.executions) {
      for (const episode of execution.episodes) payloads.push(JSON.stringify(episode.payload));
    }
  }
  const handlers = dists.map(handlerOf);
  console.log(`load average at the start: ${loadAverage().join(' ')}`);
  for (let i = 0; i < Number(values.warmup); i += 1)
    for (const handler of handlers) await round(handler, payloads);
  const perEpisode = handlers.map(() => [] as number[]);
  for (let r = 0; r < Number(values.rounds); r += 1) {
    // Alternating order, so neither build always runs right after the other.
    const order = r % 2 === 0 ? handlers.map((_, i) => i) : handlers.map((_, i) => handlers.length - 1 - i);
    for (const i of order) perEpisode[i]!.push(await round(handlers[i]!, payloads));
  }
  console.log(
    `${payloads.length} episodes, durable-functions' handler with the orchestrator, CPU µs per episode:`,
  );
  dists.forEach((dist, i) => {
    const { median, p10, p90 } = summarize(perEpisode[i]!);
    console.log(`  ${dist}: median ${median.toFixed(1)} (p10 ${p10.toFixed(1)}, p90 ${p90.toFixed(1)})`);
  });
  console.log(`load average at the end: ${loadAverage().join(' ')}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
