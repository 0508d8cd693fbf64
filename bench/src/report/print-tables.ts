/**
 * The bench's printed report: one table per scenario (overhead per turn, wall time, model requests,
 * ratios against each peer), the throughput table, the per-framework table (load time, peak
 * memory), the ours-only figures and the targets.
 */
import type { Stats } from '../measure/stats';
import type { BenchResults, ScenarioResult, ThroughputResult } from './bench-results';
import { fixed, markdownTable } from './text-table';

/** The whole report as text (Markdown tables under headings). */
export function renderReport(results: BenchResults): string {
  const peers = results.frameworks.filter((framework) => framework.kind === 'peer').map((f) => f.name);
  const sections = [
    `# durable-handoff bench: ${results.machine.date}`,
    `Node ${results.machine.node}, ${results.machine.cpuModel} x ${results.machine.cores}, commit ${results.machine.gitCommit.slice(0, 12)}${results.machine.gitDirty ? ' (dirty)' : ''}; ` +
      `${results.options.runs} measured runs after ${results.options.warmup} warm-up runs per framework, interleaved; ` +
      `load average ${results.machine.loadAverage.start[0]} at start, ${results.machine.loadAverage.end[0]} at end.`,
    ...results.scenarios.map((scenario) => scenarioSection(scenario, peers)),
    results.throughput === null ? '## Throughput\n\n(not run)' : throughputSection(results.throughput),
    frameworksSection(results),
    oursOnlySection(results),
    targetsSection(results),
  ];
  return `${sections.join('\n\n')}\n`;
}

function scenarioSection(scenario: ScenarioResult, peers: readonly string[]): string {
  const rows = scenario.figures.map((figure) => [
    figure.framework,
    String(figure.turns),
    fixed(figure.modelRequestsPerRun, 0),
    spread(figure.overheadPerTurnMs),
    fixed(figure.overheadPerTurnMs.min),
    spread(figure.cpuPerTurnMs),
    spread(figure.wallMs),
    fixed(figure.serverMs.median),
    ...peers.map((peer) => {
      if (peer === figure.framework) return '—';
      const ratio = scenario.ratios.find((r) => r.framework === figure.framework && r.versus === peer);
      return ratio === undefined
        ? '—'
        : `${fixed(ratio.overheadPerTurn.median)}x (CPU ${fixed(ratio.cpuPerTurn.median)}x)`;
    }),
  ]);
  return [
    `## Scenario ${scenario.name}: ${scenario.title}`,
    'Overhead per turn = (wall time - model server time) / agent turns, in ms; cells are median (p10–p90). ' +
      "CPU/turn = the worker process's CPU time (user + system) per agent turn, the model server excluded. " +
      "Ratios: overhead per turn / the peer's, paired by round (median); in brackets the same for CPU per turn.",
    markdownTable(
      [
        'framework',
        'turns',
        'model req/run',
        'overhead/turn ms',
        'min',
        'CPU/turn ms',
        'wall ms/run',
        'server ms/run',
        ...peers.map((peer) => `vs ${peer}`),
      ],
      rows,
    ),
  ].join('\n\n');
}

function throughputSection(throughput: ThroughputResult): string {
  const rows = throughput.figures.map((figure) => [
    figure.framework,
    spread(figure.batchWallMs, 0),
    fixed(figure.runsPerSecond.median, 0),
    `${fixed(figure.efficiency.median * 100, 1)} %`,
    `${fixed(figure.efficiency.min * 100, 1)} %`,
    fixed(figure.workerCpuMsPerRun.median),
    `${fixed(figure.modelServerCpu.median * 100, 0)} %`,
  ]);
  return [
    `## Throughput: ${throughput.concurrency} concurrent ${throughput.scenario} runs, ${throughput.latencyMs} ms model latency`,
    `Ideal (a framework that costs nothing): ${fixed(throughput.idealBatchMs, 0)} ms per batch, ${fixed(throughput.idealRunsPerSecond, 0)} runs/s.`,
    'Model server CPU: the runner process, which holds the model server, as a share of one core during the batch; near 100 % the server, not the framework, would be the limit.',
    markdownTable(
      ['framework', 'batch ms', 'runs/s', 'of ideal', 'worst batch', 'worker CPU ms/run', 'model server CPU'],
      rows,
    ),
  ].join('\n\n');
}

function frameworksSection(results: BenchResults): string {
  const rows = results.frameworks.map((framework) => [
    framework.name,
    framework.kind,
    fixed(framework.loadMs, 0),
    fixed(framework.setupMs, 1),
    fixed(framework.peakRssMb.sequential, 0),
    framework.peakRssMb.throughput === null ? '—' : fixed(framework.peakRssMb.throughput, 0),
    childPeaks(framework.childPeakRssMb?.throughput ?? framework.childPeakRssMb?.sequential),
  ]);
  return [
    '## Frameworks',
    "Peak RSS: of the framework's worker process. Child processes: peak RSS (VmHWM) of processes the worker started (Azurite plays Azure Storage for durable-handoff), not included in the worker's.",
    markdownTable(
      [
        'framework',
        'kind',
        'load ms',
        'setup ms',
        'peak RSS MB (sequential)',
        'peak RSS MB (throughput)',
        'child processes peak RSS MB',
      ],
      rows,
    ),
    results.frameworks.map((framework) => `- ${framework.name}: ${framework.description}`).join('\n'),
  ].join('\n\n');
}

function childPeaks(peaks: Readonly<Record<string, number>> | undefined): string {
  if (peaks === undefined) return '—';
  return Object.entries(peaks)
    .map(([command, mb]) => `${command} ${fixed(mb, 0)}`)
    .join(', ');
}

function oursOnlySection(results: BenchResults): string {
  const { figures, missing } = results.oursOnly;
  const table =
    figures.length === 0
      ? '(no ours-only measurement is registered yet)'
      : markdownTable(
          ['figure', 'framework', 'median (p10–p90)', 'min', 'unit'],
          figures.map((figure) => [
            figure.label,
            figure.framework,
            spread(figure.stats),
            fixed(figure.stats.min),
            figure.unit,
          ]),
        );
  const notMeasured = missing.length === 0 ? '' : `\n\nNot measured: ${missing.join(', ')}.`;
  return `## durable-handoff only\n\n${table}${notMeasured}`;
}

function targetsSection(results: BenchResults): string {
  const rows = results.targets.map((target) => [
    target.description,
    `${target.comparison} ${target.threshold}`,
    target.value === null ? '—' : fixed(target.value),
    target.status,
    target.basis,
  ]);
  return ['## Targets', markdownTable(['target', 'goal', 'measured', 'status', 'basis'], rows)].join('\n\n');
}

function spread(stats: Stats, digits = 2): string {
  return `${fixed(stats.median, digits)} (${fixed(stats.p10, digits)}–${fixed(stats.p90, digits)})`;
}
