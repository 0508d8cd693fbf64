/**
 * The targets, checked against each bench run. They are figures to report, not
 * assertions: a missed target is printed with the measured value and stays in latest.json.
 *
 * durable-handoff must be registered under the names below for its targets to be evaluated.
 */
import type { BenchResults, TargetResult } from './bench-results';

/** Registry name of durable-handoff on the local host with in-memory storage. */
export const OURS_MEMORY = 'durable-handoff-memory';
/** Registry name of durable-handoff on the local host with Azurite storage. */
export const OURS_AZURITE = 'durable-handoff-azurite';
/**
 * Registry name of durable-handoff on Microsoft's Durable engine (devhost/dtfx, .NET) with Azurite:
 * reported beside the emulated engine's, no targets of its own.
 */
export const OURS_REAL_ENGINE = 'durable-handoff-dtfx';
/** The ours names the targets look for. */
export const OURS_NAMES = [OURS_MEMORY, OURS_AZURITE] as const;
/**
 * The same with host.json's durable concurrency limits raised to the batch size (throughput phase
 * only): their throughput and memory are reported against the same targets, beside the shipped
 * configuration's.
 */
export const OURS_RAISED_CONCURRENCY_NAMES = [
  'durable-handoff-memory-concurrency-200',
  'durable-handoff-azurite-concurrency-200',
] as const;

/** What the targets read: everything in latest.json but the targets themselves. */
export type MeasuredResults = Omit<BenchResults, 'targets'>;

type Comparison = TargetResult['comparison'];

/** Checks every target against `results`. */
export function evaluateTargets(results: MeasuredResults): TargetResult[] {
  return [
    ...results.scenarios.flatMap((scenario) => [
      overheadRatio(results, scenario.name, OURS_AZURITE, 'langgraph-swarm-sqlite', '<=', 1.0),
      overheadRatio(results, scenario.name, OURS_MEMORY, 'openai-agents', '<=', 1.5),
    ]),
    appCpuVersusPeerOverhead(results, 'openai-agents', 1.0),
    oursOnly(
      results,
      'app_storage_requests_per_turn',
      "the app's storage requests per agent turn (handoff)",
      '<=',
      2,
    ),
    oursOnly(
      results,
      'replay_growth_turn_65_vs_5',
      'replay cost per turn at turn 65 / at turn 5 (flat in conversation length)',
      '<=',
      1.3,
    ),
    oursOnly(
      results,
      'replay_growth_turn_60_vs_5',
      'replay cost per turn at turn 60 (worst place in a generation) / at turn 5 (best)',
      '<=',
      1.5,
    ),
    oursOnly(
      results,
      'history_bytes_vs_new_content',
      "history bytes written per turn / the turn's new content",
      '<=',
      2,
    ),
    ...OURS_NAMES.map((name) => throughputVersusPeer(results, name, 'openai-agents')),
    ...[...OURS_NAMES, ...OURS_RAISED_CONCURRENCY_NAMES].flatMap((name) => [
      throughputEfficiency(results, name),
      peakMemory(results, name),
    ]),
    oursOnly(results, 'cold_start_ms', 'app cold start (load every function module), ms', '<', 300),
    oursOnly(
      results,
      'first_token_ms_same_instance',
      "time to first visible token, reader on the turn's instance, ms",
      '<',
      150,
    ),
    oursOnly(
      results,
      'first_token_ms_other_instance',
      'time to first visible token, reader on another instance, ms',
      '<',
      700,
    ),
  ];
}

function overheadRatio(
  results: MeasuredResults,
  scenarioName: string,
  ours: string,
  peer: string,
  comparison: Comparison,
  threshold: number,
): TargetResult {
  const description = `${scenarioName}: overhead per turn, ${ours} / ${peer}`;
  const ratio = results.scenarios
    .find((scenario) => scenario.name === scenarioName)
    ?.ratios.find((candidate) => candidate.framework === ours && candidate.versus === peer);
  if (ratio === undefined)
    return notMeasured(
      `overhead_ratio:${scenarioName}:${ours}:${peer}`,
      description,
      comparison,
      threshold,
      `${ours} or ${peer} did not run`,
    );
  return judged(
    `overhead_ratio:${scenarioName}:${ours}:${peer}`,
    description,
    comparison,
    threshold,
    ratio.overheadPerTurn.median,
    `median of ${ratio.overheadPerTurn.n} round-paired ratios`,
  );
}

/**
 * The app's own CPU per agent turn (cost split, `handoff`, the worse storage configuration) over the
 * peer's whole overhead per turn in the same bench run's `handoff` scenario, both as CPU time (the
 * peer's worker CPU per turn: all it does, without the model server). CPU against CPU, because a
 * loaded machine inflates the peer's wall-time overhead many times more than CPU time. Medians: the
 * cost split runs in its own process after the framework phases, so the two are not paired by round.
 */
function appCpuVersusPeerOverhead(results: MeasuredResults, peer: string, threshold: number): TargetResult {
  const id = `app_cpu_vs_overhead:${peer}`;
  const description = `handoff: the app's CPU per agent turn / ${peer}'s CPU per turn (its whole overhead)`;
  const app = results.oursOnly.figures.filter((figure) => figure.id === 'app_cpu_ms_per_turn');
  const peerFigure = results.scenarios
    .find((scenario) => scenario.name === 'handoff')
    ?.figures.find((figure) => figure.framework === peer);
  if (app.length === 0 || peerFigure === undefined) {
    return notMeasured(
      id,
      description,
      '<=',
      threshold,
      `the cost split or ${peer}'s handoff runs are missing`,
    );
  }
  const worst = app.reduce((a, b) => (b.stats.median > a.stats.median ? b : a));
  return judged(
    id,
    `${description} (${worst.framework})`,
    '<=',
    threshold,
    worst.stats.median / peerFigure.cpuPerTurnMs.median,
    `${worst.stats.median.toFixed(2)} ms / ${peerFigure.cpuPerTurnMs.median.toFixed(2)} ms of CPU, medians`,
  );
}

/** Ours' throughput under the concurrent batches over the peer's in the same run (medians of runs/s). */
function throughputVersusPeer(results: MeasuredResults, ours: string, peer: string): TargetResult {
  const id = `throughput_vs:${ours}:${peer}`;
  const description = `${ours} (host.json as shipped): throughput with concurrent runs / ${peer}'s`;
  const figures = results.throughput?.figures;
  const mine = figures?.find((figure) => figure.framework === ours);
  const theirs = figures?.find((figure) => figure.framework === peer);
  if (mine === undefined || theirs === undefined) {
    return notMeasured(id, description, '>=', 1, `${ours} or ${peer} did not run the throughput phase`);
  }
  return judged(
    id,
    description,
    '>=',
    1,
    mine.runsPerSecond.median / theirs.runsPerSecond.median,
    `${mine.runsPerSecond.median.toFixed(0)} / ${theirs.runsPerSecond.median.toFixed(0)} runs/s, medians of batches`,
  );
}

function throughputEfficiency(results: MeasuredResults, ours: string): TargetResult {
  const id = `throughput_efficiency:${ours}`;
  const throughput = results.throughput;
  const description = throughput
    ? `${ours}: throughput with ${throughput.concurrency} concurrent runs at ${throughput.latencyMs} ms model latency / ideal`
    : `${ours}: throughput under concurrent runs / ideal`;
  const figure = throughput?.figures.find((candidate) => candidate.framework === ours);
  if (figure === undefined)
    return notMeasured(id, description, '>=', 0.9, `${ours} did not run the throughput phase`);
  return judged(
    id,
    description,
    '>=',
    0.9,
    figure.efficiency.median,
    `median of ${figure.efficiency.n} batches`,
  );
}

function peakMemory(results: MeasuredResults, ours: string): TargetResult {
  const id = `peak_rss_mb:${ours}`;
  const description = `${ours}: peak RSS of its process (MB), through the throughput phase`;
  const framework = results.frameworks.find((candidate) => candidate.name === ours);
  const peak = framework?.peakRssMb.throughput ?? framework?.peakRssMb.sequential;
  if (peak === undefined) return notMeasured(id, description, '<', 300, `${ours} did not run`);
  return judged(id, description, '<', 300, peak, 'process.resourceUsage().maxRSS of the worker process');
}

function oursOnly(
  results: MeasuredResults,
  figureId: string,
  description: string,
  comparison: Comparison,
  threshold: number,
): TargetResult {
  const figures = results.oursOnly.figures.filter((figure) => figure.id === figureId);
  if (figures.length === 0) {
    return notMeasured(figureId, description, comparison, threshold, 'no ours-only measurement reported it');
  }
  // With several configurations (memory, Azurite), the target holds only if the worst one meets it.
  const worst = figures.reduce((a, b) =>
    comparison === '>=' ? (b.stats.median < a.stats.median ? b : a) : b.stats.median > a.stats.median ? b : a,
  );
  return judged(
    figureId,
    `${description} (${worst.framework})`,
    comparison,
    threshold,
    worst.stats.median,
    `median of ${worst.stats.n}`,
  );
}

function judged(
  id: string,
  description: string,
  comparison: Comparison,
  threshold: number,
  value: number,
  basis: string,
): TargetResult {
  const met =
    comparison === '<' ? value < threshold : comparison === '<=' ? value <= threshold : value >= threshold;
  return { id, description, comparison, threshold, value, status: met ? 'met' : 'missed', basis };
}

function notMeasured(
  id: string,
  description: string,
  comparison: Comparison,
  threshold: number,
  basis: string,
): TargetResult {
  return { id, description, comparison, threshold, value: null, status: 'not_measured', basis };
}
