/**
 * The plug-in point for durable-handoff's own figures (history bytes per turn, replay time at turn
 * 5 vs 60, cold start): a measurement module reports samples per figure id; the harness turns them
 * into medians with spread, prints the "ours only" table and checks the targets.
 *
 * Register a measurement by adding it to {@link OURS_ONLY_MEASUREMENTS}. Throughput under 200
 * concurrent runs and peak memory are not here: the harness measures them for every registered
 * framework, ours included.
 */
import type { BenchModelServer } from '../model-server/bench-model-server';
import type { PhaseRounds } from '../measure/sequential-phase';
import type { OursOnlyFigureId } from './ours-only-figures';
import { coldStart } from './cold-start/cold-start-measurement';
import { costSplit } from './cost-split/cost-split-measurement';
import { firstToken } from './first-token/first-token-measurement';
import { longConversation } from './long-conversation/long-conversation-measurement';

/** What a measurement gets from the harness. */
export interface OursOnlyContext {
  /** The bench model server (zero latency; the support responder answers `handoff_to_*` tools by the agent header). */
  readonly server: BenchModelServer;
  /** Warm-up and measured repetitions the user asked for (`--warmup`, `--runs`, `--quick`). */
  readonly rounds: PhaseRounds;
  /** Prints a progress line (stderr). */
  log(line: string): void;
}

/** Samples of one figure, for one framework configuration (e.g. `durable-handoff-azurite`). */
export interface OursOnlySamples {
  figure: OursOnlyFigureId;
  framework: string;
  /** One value per repetition; the harness reports their median, p10/p90 and min. */
  samples: number[];
  /** How it was measured, in one line (shown in latest.json). */
  note?: string;
}

/**
 * A measurement of ours-only figures.
 *
 * @example
 * ```ts
 * export const coldStart: OursOnlyMeasurement = {
 *   id: 'cold-start',
 *   title: 'app cold start',
 *   async measure({ rounds }) {
 *     const samples: number[] = [];
 *     for (let i = 0; i < rounds.runs; i += 1) samples.push(await timeLoadingFunctionModulesInAFreshProcess());
 *     return [{ figure: 'cold_start_ms', framework: 'durable-handoff', samples }];
 *   },
 * };
 * ```
 */
export interface OursOnlyMeasurement {
  readonly id: string;
  readonly title: string;
  /** Runs after the framework phases, with the model server at zero latency; must stop whatever it starts. */
  measure(context: OursOnlyContext): Promise<OursOnlySamples[]>;
}

/** The registered ours-only measurements, run in this order. */
export const OURS_ONLY_MEASUREMENTS: readonly OursOnlyMeasurement[] = [
  costSplit,
  longConversation,
  coldStart,
  firstToken,
];
