/**
 * Where durable-handoff's CPU per agent turn goes (the app, the local host, the bench client) and
 * how many storage requests a turn sends, from `handoff` runs in a child process of its own (see
 * `cost-split-task.ts`), against the runner's model server.
 */
import { BenchError } from '../../bench-error';
import { BENCH_API_KEY, BENCH_MODEL } from '../../model-server/bench-model-server';
import { HANDOFF_SCENARIO } from '../../scenario/scenarios';
import { runOursOnlyChild } from '../child/run-ours-only-child';
import type { OursOnlyMeasurement } from '../ours-only-measurement';
import { COST_SPLIT_STORAGES } from './cost-split-task';

/** 2 x (warm-up + 2 x runs) handoff runs per storage: about a minute here; five is the deadline. */
const DEADLINE_MS = 300_000;

/** The cost-split measurement. */
export const costSplit: OursOnlyMeasurement = {
  id: 'cost-split',
  title:
    'cost split: CPU per agent turn of the app, the local host and the client; storage requests per turn',
  async measure({ server, rounds }) {
    server.takeUsage();
    const samples = await runOursOnlyChild(
      'cost-split',
      {
        rounds: { warmup: rounds.warmup, runs: rounds.runs },
        model: { baseUrl: server.baseUrl, apiKey: BENCH_API_KEY, model: BENCH_MODEL },
      },
      DEADLINE_MS,
    );
    // Every run of the child was checked there; here the server's count of its requests.
    const expected =
      COST_SPLIT_STORAGES.length * (rounds.warmup + 2 * rounds.runs) * HANDOFF_SCENARIO.route.length;
    const { modelRequests } = server.takeUsage();
    if (modelRequests !== expected) {
      throw new BenchError(
        'run_mismatch',
        `The cost-split runs made ${modelRequests} model requests, expected ${expected}.`,
      );
    }
    return samples;
  },
};
