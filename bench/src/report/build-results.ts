/**
 * Turns the raw samples of a bench session into the figures of latest.json: medians with spread,
 * round-paired ratios against every peer, throughput against the ideal, ours-only figures and the
 * targets.
 */
import type { BatchSample, ThroughputLoad } from '../measure/throughput-phase';
import type { RunSample } from '../measure/sequential-phase';
import { summarize } from '../measure/stats';
import { idealBatchMs } from '../measure/throughput-phase';
import { OURS_ONLY_FIGURE_IDS, OURS_ONLY_FIGURES } from '../ours-only/ours-only-figures';
import type { OursOnlySamples } from '../ours-only/ours-only-measurement';
import type { Scenario } from '../scenario/scenarios';
import {
  type BenchResults,
  BenchResultsSchema,
  type FrameworkInfo,
  type OursOnlyFigure,
  type ScenarioResult,
  type ThroughputResult,
} from './bench-results';
import { pairedRatio } from './paired-ratios';
import { evaluateTargets, type MeasuredResults } from './targets';

/** Everything a session measured, before summarizing. */
export interface SessionSamples {
  machine: BenchResults['machine'];
  options: BenchResults['options'];
  frameworks: FrameworkInfo[];
  scenarios: { scenario: Scenario; samples: Map<string, RunSample[]> }[];
  throughput: { scenario: Scenario; load: ThroughputLoad; samples: Map<string, BatchSample[]> } | null;
  oursOnly: OursOnlySamples[];
}

/** The validated contents of latest.json. */
export function buildResults(session: SessionSamples): BenchResults {
  const peers = session.frameworks.filter((framework) => framework.kind === 'peer').map((f) => f.name);
  const measured: MeasuredResults = {
    schemaVersion: 1,
    machine: session.machine,
    options: session.options,
    frameworks: session.frameworks,
    scenarios: session.scenarios.map(({ scenario, samples }) => scenarioResult(scenario, samples, peers)),
    throughput: session.throughput === null ? null : throughputResult(session.throughput),
    oursOnly: oursOnlyResult(session.oursOnly),
  };
  return BenchResultsSchema.parse({ ...measured, targets: evaluateTargets(measured) });
}

function scenarioResult(
  scenario: Scenario,
  samples: Map<string, RunSample[]>,
  peers: readonly string[],
): ScenarioResult {
  const entries = [...samples.entries()];
  return {
    name: scenario.name,
    title: scenario.title,
    route: [...scenario.route],
    figures: entries.map(([framework, runs]) => ({
      framework,
      turns: scenario.route.length,
      modelRequestsPerRun: runs.reduce((sum, run) => sum + run.modelRequests, 0) / runs.length,
      wallMs: summarize(runs.map((run) => run.wallMs)),
      serverMs: summarize(runs.map((run) => run.serverMs)),
      overheadPerTurnMs: summarize(runs.map((run) => run.overheadPerTurnMs)),
      cpuPerTurnMs: summarize(runs.map((run) => run.cpuPerTurnMs)),
    })),
    ratios: entries.flatMap(([framework, runs]) =>
      peers
        .filter((peer) => peer !== framework && samples.has(peer))
        .map((peer) => ({
          framework,
          versus: peer,
          overheadPerTurn: pairedRatio(runs, samples.get(peer)!, (run) => run.overheadPerTurnMs),
          wallMs: pairedRatio(runs, samples.get(peer)!, (run) => run.wallMs),
          cpuPerTurn: pairedRatio(runs, samples.get(peer)!, (run) => run.cpuPerTurnMs),
        })),
    ),
  };
}

function throughputResult(throughput: NonNullable<SessionSamples['throughput']>): ThroughputResult {
  const ideal = idealBatchMs(throughput.scenario, throughput.load);
  return {
    scenario: throughput.scenario.name,
    concurrency: throughput.load.concurrency,
    latencyMs: throughput.load.latencyMs,
    idealBatchMs: ideal,
    idealRunsPerSecond: throughput.load.concurrency / (ideal / 1000),
    figures: [...throughput.samples.entries()].map(([framework, batches]) => ({
      framework,
      batchWallMs: summarize(batches.map((batch) => batch.wallMs)),
      runsPerSecond: summarize(batches.map((batch) => batch.runsPerSecond)),
      efficiency: summarize(batches.map((batch) => batch.efficiency)),
      workerCpuMsPerRun: summarize(batches.map((batch) => batch.workerCpuMsPerRun)),
      modelServerCpu: summarize(batches.map((batch) => batch.modelServerCpu)),
    })),
  };
}

function oursOnlyResult(reported: readonly OursOnlySamples[]): BenchResults['oursOnly'] {
  const figures: OursOnlyFigure[] = reported.map((samples) => ({
    id: samples.figure,
    ...OURS_ONLY_FIGURES[samples.figure],
    framework: samples.framework,
    stats: summarize(samples.samples),
    ...(samples.note === undefined ? {} : { note: samples.note }),
  }));
  const missing = OURS_ONLY_FIGURE_IDS.filter((id) => !reported.some((samples) => samples.figure === id));
  return { figures, missing: [...missing] };
}
