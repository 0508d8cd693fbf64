/**
 * Times the orchestrator's replay of recorded episodes: each timed call is what the engine does
 * for one episode (`callOrchestrator`: the payload, history included, serialized and handed to
 * the app's orchestrator through `@azure/functions` and durable-functions, which replays the whole
 * history of the execution and runs the generator to its next yield), on the app the host loaded.
 *
 * Turns are timed in rounds, one call per turn per round, in an order that rotates each round, so
 * the ratio of two turns can be paired by round.
 */
import { performance } from 'node:perf_hooks';
import type { OrchestrationRecording } from '../../../../dist/devhost/durable/index.js';
import { callOrchestrator } from '../../../../dist/devhost/durable/engine/orchestrator-call.js';
import type { FunctionInvoker } from '../../../../dist/devhost/contracts.js';
import { BenchError } from '../../bench-error';
import { roundOrder } from '../../measure/interleaved-order';
import type { PhaseRounds } from '../../measure/sequential-phase';
import type { TurnEpisode } from '../history-growth';

/** Replay times of one turn's episode, ms, one per measured round. */
export interface TurnReplayTimes {
  turn: number;
  /** History events replayed in that episode. */
  historyLength: number;
  /** Bytes of the serialized payload handed to the orchestrator. */
  payloadBytes: number;
  samples: number[];
}

/**
 * Replays the episodes that received the results of `turns`, `rounds.warmup` unrecorded rounds
 * then `rounds.runs` measured ones. Before timing, each replay is checked to return exactly what
 * was recorded, so a timing never measures a replay that took another path.
 */
export async function timeTurnReplays(
  invoker: FunctionInvoker,
  recording: OrchestrationRecording,
  episodes: readonly TurnEpisode[],
  turns: readonly number[],
  rounds: PhaseRounds,
): Promise<TurnReplayTimes[]> {
  const targets = turns.map((turn) => {
    const found = episodes.find((episode) => episode.turn === turn);
    const episode = found && recording.executions[found.executionIndex]?.episodes[found.episodeIndex];
    if (found === undefined || episode === undefined) {
      throw new BenchError(
        'run_mismatch',
        `The recording has no episode receiving turn ${turn}'s result (it has ${episodes.length} turns).`,
      );
    }
    return { turn, found, episode, times: [] as number[] };
  });
  for (const target of targets) {
    const replayed = await callOrchestrator(invoker, recording.orchestrator, target.episode.payload);
    const same = JSON.stringify(replayed) === JSON.stringify(target.episode.result);
    if (!same) {
      throw new BenchError(
        'run_mismatch',
        `Replaying the episode of turn ${target.turn} did not return what was recorded: ${JSON.stringify(replayed).slice(0, 300)}`,
      );
    }
  }
  const total = rounds.warmup + rounds.runs;
  for (let index = 0; index < total; index += 1) {
    for (const target of roundOrder(targets, index)) {
      const start = performance.now();
      await callOrchestrator(invoker, recording.orchestrator, target.episode.payload);
      const elapsed = performance.now() - start;
      if (index >= rounds.warmup) target.times.push(elapsed);
    }
  }
  return targets.map((target) => ({
    turn: target.turn,
    historyLength: target.found.historyLength,
    payloadBytes: Buffer.byteLength(JSON.stringify(target.episode.payload)),
    samples: target.times,
  }));
}

/** Per measured round, `numerator`'s time / `denominator`'s (both from the same round). */
export function pairedReplayRatios(numerator: TurnReplayTimes, denominator: TurnReplayTimes): number[] {
  return numerator.samples.map((time, round) => time / (denominator.samples[round] ?? Number.NaN));
}
