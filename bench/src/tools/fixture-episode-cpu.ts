/**
 * CPU per orchestrator episode: replays every episode of the committed handoff histories
 * (`tests/fixtures/histories/handoff`) through the local host worker's `callOrchestrator`, as the
 * engine does, `--runs` rounds after `--warmup`, and prints the process's CPU per episode (median,
 * p10, p90 over rounds). The sample app's orchestrator from `dist/`: run `npm run build` first, and
 * A/B two builds back to back (the machine's load moves the absolute figure).
 *
 * With `--split`, the orchestrator function is replaced by the same one built here from `dist/`
 * (`createHandoffOrchestrator` under durable-functions' `createOrchestrator`, with a lookup that
 * knows every workflow), timed from inside: the time in durable-functions' handler (its replay of the
 * history, with the orchestrator in it) and the time in the orchestrator's own steps (the
 * generator's `next` calls: the run machine, and the durable-functions calls it makes to schedule
 * tasks), per episode, next to the whole episode's process CPU; the rest is the Functions library's
 * conversions and the local host's work. Those two are wall-clock sums of synchronous slices
 * (`performance.now()`), so they are also printed as shares of the episodes' wall-clock time: on a
 * loaded machine read the shares, not the milliseconds.
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
import { createOrchestrator } from '../../../dist/src/durable/durable-functions-sdk.js';
import { createHandoffOrchestrator } from '../../../dist/src/durable/orchestrator/handoff-orchestrator.js';
import { summarize } from '../measure/stats';
import { PROJECT_DIR } from '../ours/bench-app-host';

interface Recording {
  orchestrator: string;
  executions: { episodes: { payload: Parameters<typeof callOrchestrator>[2] }[] }[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '100' },
      warmup: { type: 'string', default: '10' },
      split: { type: 'boolean', default: false },
    },
  });
  const worker = await AppWorker.start({ appDir: path.join(PROJECT_DIR, 'sample'), log: () => undefined });
  try {
    const timing = values.split ? timeOrchestrator(worker) : undefined;
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
    const wallPerEpisode: number[] = [];
    const handlerPerEpisode: number[] = [];
    const stepsPerEpisode: number[] = [];
    for (let round = 0; round < warmup + Number(values.runs); round += 1) {
      timing?.reset();
      const start = process.cpuUsage();
      const startedAt = performance.now();
      for (const episode of episodes) await callOrchestrator(worker, episode.orchestrator, episode.payload);
      const wallMs = performance.now() - startedAt;
      const used = process.cpuUsage(start);
      if (round < warmup) continue;
      perEpisode.push((used.user + used.system) / 1000 / episodes.length);
      wallPerEpisode.push(wallMs / episodes.length);
      if (timing) {
        handlerPerEpisode.push(timing.handlerMs / episodes.length);
        stepsPerEpisode.push(timing.stepsMs / episodes.length);
      }
    }
    const stats = summarize(perEpisode);
    console.log(
      `${episodes.length} episodes, CPU ms per episode: median ${stats.median.toFixed(3)} ` +
        `(p10 ${stats.p10.toFixed(3)}, p90 ${stats.p90.toFixed(3)}), load ${(await import('node:os')).loadavg()[0]?.toFixed(2)}`,
    );
    if (timing) {
      const handler = summarize(handlerPerEpisode);
      const steps = summarize(stepsPerEpisode);
      const wall = summarize(wallPerEpisode);
      const share = (part: readonly number[]) =>
        summarize(part.map((ms, round) => (100 * ms) / wallPerEpisode[round]!)).median.toFixed(0);
      console.log(
        `  wall-clock ms per episode: median ${wall.median.toFixed(3)}; durable-functions' handler ` +
          `${share(handlerPerEpisode)} % of it, the orchestrator's own steps ${share(stepsPerEpisode)} % (medians of rounds)`,
      );
      console.log(
        `  in durable-functions' handler (replay with the orchestrator): median ${handler.median.toFixed(3)} ms ` +
          `(p10 ${handler.p10.toFixed(3)}, p90 ${handler.p90.toFixed(3)})`,
      );
      console.log(
        `  of it the orchestrator's own steps: median ${steps.median.toFixed(3)} ms ` +
          `(p10 ${steps.p10.toFixed(3)}, p90 ${steps.p90.toFixed(3)})`,
      );
    }
  } finally {
    await worker.terminate();
  }
}

/** Sums of the time spent in durable-functions' handler and in the orchestrator's steps. */
interface OrchestratorTiming {
  handlerMs: number;
  stepsMs: number;
  reset(): void;
}

/**
 * Replaces the worker's `handoffOrchestrator` with the same orchestrator built from `dist/`, timed
 * (see the module comment). Every workflow name is taken as known: the histories are the app's.
 */
function timeOrchestrator(worker: AppWorker): OrchestratorTiming {
  const entry = worker.get('handoffOrchestrator') as
    { callback?: (...args: unknown[]) => unknown } | undefined;
  if (entry?.callback === undefined) throw new Error('The sample app registered no handoffOrchestrator.');
  const timing: OrchestratorTiming = {
    handlerMs: 0,
    stepsMs: 0,
    reset() {
      timing.handlerMs = 0;
      timing.stepsMs = 0;
    },
  };
  const orchestrator = createHandoffOrchestrator({ has: () => true, list: () => [] });
  type Orchestrator = typeof orchestrator;
  const timed = function* (context: Parameters<Orchestrator>[0]): ReturnType<Orchestrator> {
    const at = performance.now();
    const steps = orchestrator(context);
    timing.stepsMs += performance.now() - at;
    let step: (generator: typeof steps) => IteratorResult<unknown, unknown> = (generator) => generator.next();
    for (;;) {
      const start = performance.now();
      let result: IteratorResult<unknown, unknown>;
      try {
        result = step(steps);
      } finally {
        timing.stepsMs += performance.now() - start;
      }
      if (result.done) return result.value as never;
      try {
        const value: unknown = yield result.value as never;
        step = (generator) => generator.next(value);
      } catch (error) {
        step = (generator) => generator.throw(error);
      }
    }
  } as unknown as Orchestrator;
  const handler = createOrchestrator(timed);
  entry.callback = (...args: unknown[]) => {
    const start = performance.now();
    try {
      return (handler as (...a: unknown[]) => unknown)(...args);
    } finally {
      timing.handlerMs += performance.now() - start;
    }
  };
  return timing;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
