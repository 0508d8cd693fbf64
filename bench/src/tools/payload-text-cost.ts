/**
 * The local host engine's CPU to write an episode's orchestration payload as JSON text, two ways,
 * over every episode of the committed handoff histories (`tests/fixtures/histories/handoff`), in
 * interleaved rounds: the whole payload built and serialized per episode
 * (`JSON.stringify(buildOrchestrationPayload(...))`, before #16's tenth round), and the text written
 * around the played history's text kept from the previous episode (`orchestrationPayloadJson`,
 * as the episode runner does now). Fails if the two texts differ. Reads `dist/`: build first.
 *
 * @example
 * ```sh
 * npm run build && cd bench && node --import tsx src/tools/payload-text-cost.ts --rounds 200
 * ```
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  buildOrchestrationPayload,
  historyEventsJson,
  orchestrationPayloadJson,
} from '../../../dist/devhost/durable/replay/orchestration-payload.js';
import { summarize } from '../measure/stats';
import { PROJECT_DIR } from '../ours/bench-app-host';
import { loadAverage } from '../report/machine-info';

type HistoryEvent = Parameters<typeof buildOrchestrationPayload>[1][number];
interface Recording {
  instanceId: string;
  executions: { episodes: { payload: { history: (HistoryEvent & { IsPlayed: boolean })[] } }[] }[];
}

/** One execution's episodes as the engine meets them: the past events and the new ones. */
interface Execution {
  instanceId: string;
  episodes: { past: HistoryEvent[]; added: HistoryEvent[] }[];
}

function executionsOf(dir: string): Execution[] {
  const found: Execution[] = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    const recording = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Recording;
    for (const execution of recording.executions) {
      found.push({
        instanceId: recording.instanceId,
        episodes: execution.episodes.map(({ payload }) => ({
          past: payload.history.filter((event) => event.IsPlayed),
          added: payload.history.filter((event) => !event.IsPlayed),
        })),
      });
    }
  }
  return found;
}

const ways = {
  'whole payload per episode': (execution: Execution): string[] =>
    execution.episodes.map(({ past, added }) =>
      JSON.stringify(buildOrchestrationPayload(execution.instanceId, past, added)),
    ),
  'played history text kept': (execution: Execution): string[] => {
    let played = { count: 0, json: '' };
    return execution.episodes.map(({ past, added }) => {
      const more = historyEventsJson(past.slice(played.count), true);
      const json = played.json === '' ? more : more === '' ? played.json : `${played.json},${more}`;
      played = { count: past.length, json };
      return orchestrationPayloadJson(execution.instanceId, past, json, added);
    });
  },
};

function main(): void {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '200' } } });
  const executions = executionsOf(path.join(PROJECT_DIR, 'tests/fixtures/histories/handoff'));
  const episodes = executions.reduce((sum, e) => sum + e.episodes.length, 0);
  for (const execution of executions) {
    const [whole, kept] = [
      ways['whole payload per episode'](execution),
      ways['played history text kept'](execution),
    ];
    if (JSON.stringify(whole) !== JSON.stringify(kept))
      throw new Error(`The two ways wrote different payloads for ${execution.instanceId}.`);
  }
  const loadStart = loadAverage();
  const perEpisodeUs: Record<string, number[]> = {
    'whole payload per episode': [],
    'played history text kept': [],
  };
  const rounds = Number(values.rounds);
  for (let round = 0; round < rounds + 20; round += 1) {
    for (const [name, write] of Object.entries(ways)) {
      const start = process.cpuUsage();
      for (const execution of executions) write(execution);
      const used = process.cpuUsage(start);
      if (round >= 20) perEpisodeUs[name]!.push((used.user + used.system) / episodes);
    }
  }
  for (const [name, samples] of Object.entries(perEpisodeUs)) {
    const { median, p10, p90 } = summarize(samples);
    console.log(
      `${name.padEnd(28)} CPU per episode: median ${median.toFixed(1)} µs (p10 ${p10.toFixed(1)}, p90 ${p90.toFixed(1)})`,
    );
  }
  console.log(
    `${episodes} episodes of ${executions.length} executions per round, ${rounds} rounds; load average ${loadStart.join(' ')} at the start, ${loadAverage().join(' ')} at the end`,
  );
}

main();
