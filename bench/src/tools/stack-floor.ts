/**
 * The stack's floor: what any Durable Functions app doing an agent turn durably pays on this host,
 * beside durable-handoff's sample app and OpenAI Agents JS, paired (#16, bench/README.md "Twelfth
 * round"). The floor is a minimal app (`tests/fixtures/apps/stack-floor`, plain `@azure/functions`
 * + `durable-functions`: HTTP start, one activity per turn with one streamed `openai` call and one
 * `@azure/data-tables` `$batch`, HTTP status read) on the same local host, emulated engine and
 * storage as ours, against the same bench model server (in this process; each subject in a
 * process of its own, see `stack-floor/floor-child.ts`).
 *
 * Each round gives every subject one block, in rotating order: `--runs` plain `handoff` runs (the
 * process's CPU and wall time per run) and, for the two apps, as many runs with the cost
 * attribution on (`ours/cost-attribution.ts`: the app's share of the CPU by episodes, activities
 * and HTTP functions; the requests it sent). Ratios pair the blocks of one round. With
 * `--batches N`, N batches of `--concurrency` runs at `--latency` ms per model answer follow
 * (after one warm-up), with host.json as shipped (the floor app's host.json sets the same limits).
 *
 * `--real-engine` (or naming them in `--only`) measures the three app subjects on Microsoft's Durable
 * engine instead (`stack-only-dtfx`, `stack-floor-dtfx`, `durable-handoff-dtfx`: devhost/dtfx, .NET,
 * with Azurite), beside OpenAI Agents; skipped with the reason when .NET or the built host is
 * missing. There the .NET engine's CPU is read from /proc per block, and the bench polls each run's
 * status every `REAL_ENGINE_POLL_MS`, so their wall overheads are compared with each other only.
 *
 * @example
 * ```sh
 * cd bench && node --import tsx src/tools/stack-floor.ts --rounds 8 --warmup 2 --runs 10 --batches 3 --out results/stack-floor.json
 * cd bench && node --import tsx src/tools/stack-floor.ts --real-engine --rounds 6 --warmup 1 --runs 4 --out results/stack-floor-dtfx.json
 * ```
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { BenchError } from '../bench-error';
import { checkModelRequests } from '../measure/check-run';
import { roundOrder } from '../measure/interleaved-order';
import { type Stats, summarize } from '../measure/stats';
import { BENCH_API_KEY, BENCH_MODEL, startBenchModelServer } from '../model-server/bench-model-server';
import { PROJECT_DIR } from '../ours/bench-app-host';
import { loadAverage, machineInfo } from '../report/machine-info';
import { fixed, markdownTable } from '../report/text-table';
import { HANDOFF_SCENARIO } from '../scenario/scenarios';
import { FloorChildHandle } from '../stack-floor/floor-child-handle';
import { type BlockFigures, blockFigures, type ByRound, roundRatios } from '../stack-floor/floor-figures';
import {
  DEFAULT_FLOOR_SUBJECTS,
  FLOOR_SUBJECTS,
  type FloorSubject,
  isHostedSubject,
  isRealEngineSubject,
  isStackOnly,
} from '../stack-floor/floor-protocol';
import { dtfxAvailability } from '../../../dist/devhost/real-engine/dtfx-build.js';

type Figure = keyof BlockFigures;

/** The per-turn figures printed, in order, with their labels. */
const FIGURES: readonly [Figure, string][] = [
  ['processCpu', 'whole-process CPU per turn (ms)'],
  ['engineCpu', "real engine only: the .NET engine process's CPU per turn (ms)"],
  ['app', "the app's own CPU per turn (ms)"],
  ['orchestrator', '  of it orchestrator episodes'],
  ['activities', '  of it activities'],
  ['http', '  of it HTTP functions'],
  ['host', "the local host's CPU per turn (front door, engine; ms)"],
  ['client', "the bench client's CPU per turn (ms)"],
  ['overhead', 'wall overhead per turn (wall - model server time; ms)'],
  ['appStorageRequests', "the app's storage requests per turn"],
  ['engineStorageRequests', "the engine's storage requests per turn"],
  ['appHostRequests', "the app's management API requests per turn"],
  ['storageBytes', "the app's storage request bytes per turn"],
  ['modelBytes', "the app's model request bytes per turn"],
];

interface BatchFigures {
  runsPerSecond: number;
  cpuMsPerRun: number;
  maxRssMb: number;
}

/**
 * The subjects named by `--only`, else the default ones; `--real-engine` adds the real engine's
 * three app subjects (and OpenAI Agents, their CPU reference).
 */
function subjectsOf(option: string | undefined, realEngine: boolean): FloorSubject[] {
  if (option === undefined) {
    return realEngine
      ? ['openai-agents', ...FLOOR_SUBJECTS.filter(isRealEngineSubject)]
      : [...DEFAULT_FLOOR_SUBJECTS];
  }
  return option.split(',').map((name) => {
    const found = FLOOR_SUBJECTS.find((subject) => subject === name.trim());
    if (found === undefined) {
      throw new BenchError(
        'invalid_option',
        `Unknown subject '${name}'. Known: ${FLOOR_SUBJECTS.join(', ')}.`,
      );
    }
    return found;
  });
}

function positive(option: string, name: string, allowZero = false): number {
  const value = Number(option);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new BenchError(
      'invalid_option',
      `--${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got '${option}'.`,
    );
  }
  return value;
}

function byRound<T>(rows: ReadonlyMap<number, T>, pick: (row: T) => number | undefined): ByRound {
  const out = new Map<number, number>();
  for (const [round, row] of rows) {
    const value = pick(row);
    if (value !== undefined) out.set(round, value);
  }
  return out;
}

const cell = (stats: Stats | undefined, digits = 2): string =>
  stats === undefined
    ? '—'
    : `${fixed(stats.median, digits)} (${fixed(stats.p10, digits)}–${fixed(stats.p90, digits)})`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '8' },
      warmup: { type: 'string', default: '2' },
      runs: { type: 'string', default: '10' },
      batches: { type: 'string', default: '0' },
      concurrency: { type: 'string', default: '200' },
      latency: { type: 'string', default: '100' },
      only: { type: 'string' },
      'real-engine': { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  const rounds = positive(values.rounds, 'rounds');
  const warmup = positive(values.warmup, 'warmup', true);
  const runs = positive(values.runs, 'runs');
  const batches = positive(values.batches, 'batches', true);
  const concurrency = positive(values.concurrency, 'concurrency');
  const latencyMs = positive(values.latency, 'latency', true);
  const named = subjectsOf(values.only, values['real-engine']);
  const dtfx = named.some(isRealEngineSubject) ? dtfxAvailability() : { ok: true as const };
  if (!dtfx.ok) {
    process.stderr.write(`Skipping the real engine's subjects: ${dtfx.reason}\n`);
  }
  const subjects = dtfx.ok ? named : named.filter((subject) => !isRealEngineSubject(subject));
  if (subjects.length === 0) return;
  const scenario = HANDOFF_SCENARIO;
  const turns = scenario.route.length;
  const loadStart = loadAverage();
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  // The stack alone asks the model nothing; every other subject once per turn.
  const checkRequests = (subject: FloorSubject, count: number, modelRequests: number): void => {
    if (!isStackOnly(subject)) return checkModelRequests(subject, scenario, count, modelRequests);
    if (modelRequests !== 0) {
      throw new BenchError('run_mismatch', `${subject} made ${modelRequests} model requests, expected none.`);
    }
  };

  const server = await startBenchModelServer();
  const endpoint = { baseUrl: server.baseUrl, apiKey: BENCH_API_KEY, model: BENCH_MODEL };
  const children: FloorChildHandle[] = [];
  const blocks = new Map<FloorSubject, Map<number, BlockFigures>>(subjects.map((s) => [s, new Map()]));
  const batchFailures = new Map<FloorSubject, string>();
  const batchRows = new Map<FloorSubject, Map<number, BatchFigures>>(subjects.map((s) => [s, new Map()]));
  try {
    for (const subject of subjects) {
      log(`starting ${subject}`);
      children.push(await FloorChildHandle.start(subject, endpoint));
    }
    server.takeUsage();
    for (let index = 0; index < warmup + rounds; index += 1) {
      const round = index - warmup;
      for (const child of roundOrder(children, index)) {
        const plain = await child.ask({ type: 'plain', runs }, 'plain_done');
        const usage = server.takeUsage();
        checkRequests(child.subject, runs, usage.modelRequests);
        let tally;
        if (isHostedSubject(child.subject)) {
          tally = { value: (await child.ask({ type: 'hooked', runs }, 'hooked_done')).tally, runs };
          checkRequests(child.subject, runs, server.takeUsage().modelRequests);
        }
        if (round >= 0)
          blocks
            .get(child.subject)!
            .set(round, blockFigures(plain.runs, usage.serverMs, turns, tally, plain.engineCpuMs));
      }
      log(
        `round ${index + 1}/${warmup + rounds}${round < 0 ? ' (warm-up)' : ''}, load ${loadAverage()[0]!.toFixed(1)}`,
      );
    }
    if (values.out !== undefined) {
      // The sequential blocks are kept at once: a batch phase that breaks must not lose them.
      const partial = Object.fromEntries(
        subjects.map((subject) => [subject, Object.fromEntries(blocks.get(subject)!)]),
      );
      await writeFile(
        `${values.out}.blocks.json`,
        `${JSON.stringify({ loadStart, loadNow: loadAverage(), blocks: partial }, null, 2)}\n`,
      );
    }
    // The stack alone waits on no model: a batch of it would measure no latency.
    const batched = children.filter((child) => !isStackOnly(child.subject));
    if (batches > 0) {
      server.setLatency(latencyMs);
      try {
        for (let index = 0; index < 1 + batches; index += 1) {
          const round = index - 1;
          for (const child of roundOrder(batched, index)) {
            let batch;
            try {
              batch = await child.ask({ type: 'batch', concurrency }, 'batch_done');
            } catch (error) {
              // A subject that fails a batch is a finding, not the end of the measurement: it is
              // stopped (with the runs it left in flight) and left out of the following batches.
              const message = error instanceof Error ? error.message : String(error);
              batchFailures.set(child.subject, message.split('\n')[0]!.slice(0, 300));
              log(`${child.subject} failed a batch: ${message.split('\n')[0]}`);
              batched.splice(batched.indexOf(child), 1);
              await child.stop();
              server.takeUsage();
              continue;
            }
            checkRequests(child.subject, concurrency, server.takeUsage().modelRequests);
            if (round >= 0) {
              batchRows.get(child.subject)!.set(round, {
                runsPerSecond: concurrency / (batch.wallMs / 1000),
                cpuMsPerRun: batch.cpuMs / concurrency,
                maxRssMb: batch.maxRssMb,
              });
            }
          }
          log(
            `batch round ${index + 1}/${1 + batches}${round < 0 ? ' (warm-up)' : ''}, load ${loadAverage()[0]!.toFixed(1)}`,
          );
        }
      } finally {
        server.setLatency(0);
      }
    }
  } finally {
    for (const child of children) await child.stop(); // a no-op for one already stopped
    await server.close();
  }
  const loadEnd = loadAverage();

  // Per subject and figure: the rounds' block values, summarized.
  const figureStats = (subject: FloorSubject, figure: Figure): Stats | undefined => {
    const values = [...blocks.get(subject)!.values()]
      .map((row) => row[figure])
      .filter((v) => v !== undefined);
    return values.length === 0 ? undefined : summarize(values);
  };
  const series = (subject: FloorSubject, figure: Figure): ByRound =>
    byRound(blocks.get(subject)!, (row) => row[figure]);
  const perTurn = markdownTable(
    ['`handoff`, per agent turn', ...subjects],
    FIGURES.map(([figure, label]) => [
      label,
      ...subjects.map((subject) => cell(figureStats(subject, figure), figure.endsWith('Bytes') ? 0 : 2)),
    ]),
  );

  // Ratios of one figure of A to one figure of B, paired by round.
  const ratioRows: { label: string; stats: Stats | undefined }[] = [];
  const ratio = (label: string, a: FloorSubject, fa: Figure, b: FloorSubject, fb: Figure): void => {
    if (!subjects.includes(a) || !subjects.includes(b)) return;
    ratioRows.push({ label, stats: roundRatios(series(a, fa), series(b, fb)) });
  };
  // On the real engine the bench polls each run's status (REAL_ENGINE_POLL_MS), which adds to every
  // dtfx subject's wall time alike: its overheads are compared between dtfx subjects only.
  for (const storage of ['memory', 'azurite', 'dtfx'] as const) {
    const polled = storage === 'dtfx';
    const floor: FloorSubject = `stack-floor-${storage}`;
    const ours: FloorSubject = `durable-handoff-${storage}`;
    ratio(`floor app CPU / OpenAI Agents CPU (${storage})`, floor, 'app', 'openai-agents', 'processCpu');
    ratio(
      `floor process CPU / OpenAI Agents CPU (${storage})`,
      floor,
      'processCpu',
      'openai-agents',
      'processCpu',
    );
    if (!polled)
      ratio(
        `floor overhead / OpenAI Agents overhead (${storage})`,
        floor,
        'overhead',
        'openai-agents',
        'overhead',
      );
    ratio(`ours app CPU / OpenAI Agents CPU (${storage})`, ours, 'app', 'openai-agents', 'processCpu');
    if (!polled)
      ratio(
        `ours overhead / OpenAI Agents overhead (${storage})`,
        ours,
        'overhead',
        'openai-agents',
        'overhead',
      );
    const alone: FloorSubject = `stack-only-${storage}`;
    ratio(
      `stack alone app CPU / OpenAI Agents CPU (${storage})`,
      alone,
      'app',
      'openai-agents',
      'processCpu',
    );
    ratio(
      `stack alone process CPU / OpenAI Agents CPU (${storage})`,
      alone,
      'processCpu',
      'openai-agents',
      'processCpu',
    );
    if (!polled)
      ratio(
        `stack alone overhead / OpenAI Agents overhead (${storage})`,
        alone,
        'overhead',
        'openai-agents',
        'overhead',
      );
    ratio(`ours app CPU / stack alone app CPU (${storage})`, ours, 'app', alone, 'app');
    const sqlite = 'langgraph-swarm-sqlite';
    if (!polled)
      ratio(
        `floor overhead / LangGraph swarm SQLite overhead (${storage})`,
        floor,
        'overhead',
        sqlite,
        'overhead',
      );
    if (!polled)
      ratio(
        `ours overhead / LangGraph swarm SQLite overhead (${storage})`,
        ours,
        'overhead',
        sqlite,
        'overhead',
      );
    for (const [figure, what] of [
      ['app', 'app CPU'],
      ['orchestrator', 'episodes'],
      ['activities', 'activities'],
      ['http', 'HTTP functions'],
      ['host', 'local host'],
      ['processCpu', 'process CPU'],
      ['overhead', 'overhead'],
    ] as const) {
      ratio(`ours / floor, ${what} (${storage})`, ours, figure, floor, figure);
    }
    if (polled) {
      ratio(
        `ours process CPU / OpenAI Agents CPU (${storage})`,
        ours,
        'processCpu',
        'openai-agents',
        'processCpu',
      );
      ratio(`ours / floor, engine CPU (${storage})`, ours, 'engineCpu', floor, 'engineCpu');
      ratio(`ours / stack alone, overhead (${storage})`, ours, 'overhead', alone, 'overhead');
      ratio(`floor / stack alone, overhead (${storage})`, floor, 'overhead', alone, 'overhead');
      ratio(
        `floor engine CPU / OpenAI Agents CPU (${storage})`,
        floor,
        'engineCpu',
        'openai-agents',
        'processCpu',
      );
      ratio(
        `ours engine CPU / OpenAI Agents CPU (${storage})`,
        ours,
        'engineCpu',
        'openai-agents',
        'processCpu',
      );
    }
  }
  const ratios = markdownTable(
    ['paired by round', 'median (p10–p90)'],
    ratioRows.map((row) => [row.label, cell(row.stats)]),
  );

  const batchStats = (subject: FloorSubject, pick: (row: BatchFigures) => number): Stats | undefined => {
    const rows = [...batchRows.get(subject)!.values()];
    return rows.length === 0 ? undefined : summarize(rows.map(pick));
  };
  const batchRatio = (a: FloorSubject, b: FloorSubject): Stats | undefined =>
    subjects.includes(a) && subjects.includes(b)
      ? roundRatios(
          byRound(batchRows.get(a)!, (r) => r.runsPerSecond),
          byRound(batchRows.get(b)!, (r) => r.runsPerSecond),
        )
      : undefined;
  const throughput =
    batches === 0
      ? ''
      : markdownTable(
          [
            `${concurrency} concurrent runs, ${latencyMs} ms latency`,
            'runs/s',
            'CPU per run (ms)',
            'peak RSS (MB)',
            '/ OpenAI Agents runs/s',
          ],
          subjects
            .filter((subject) => !isStackOnly(subject))
            .map((subject) => [
              subject,
              cell(
                batchStats(subject, (r) => r.runsPerSecond),
                1,
              ),
              cell(
                batchStats(subject, (r) => r.cpuMsPerRun),
                1,
              ),
              batchRows.get(subject)!.size === 0
                ? '—'
                : fixed(Math.max(...[...batchRows.get(subject)!.values()].map((r) => r.maxRssMb)), 0),
              cell(batchRatio(subject, 'openai-agents')),
            ]),
        ) +
        [...batchFailures].map(([subject, message]) => `\n${subject} failed a batch: ${message}`).join('');

  const load = `load average ${loadStart.map((v) => v.toFixed(2)).join(' ')} at the start, ${loadEnd.map((v) => v.toFixed(2)).join(' ')} at the end`;
  console.log(
    `stack floor: ${rounds} rounds (+${warmup} warm-up) of ${runs} plain${subjects.some(isHostedSubject) ? ` + ${runs} attributed` : ''} runs per subject; ${load}\n`,
  );
  console.log(`${perTurn}\n\n${ratios}\n`);
  if (throughput !== '') console.log(`${throughput}\n`);

  if (values.out !== undefined) {
    const command = `node --import tsx src/tools/stack-floor.ts ${process.argv
      .slice(2)
      .filter((arg, i, all) => arg !== '--out' && all[i - 1] !== '--out')
      .join(' ')}`;
    const result = {
      command: command.trim(),
      machine: { ...machineInfo(PROJECT_DIR), loadAverage: { start: loadStart, end: loadEnd } },
      perTurn: Object.fromEntries(
        subjects.map((subject) => [
          subject,
          Object.fromEntries(FIGURES.map(([figure]) => [figure, figureStats(subject, figure) ?? null])),
        ]),
      ),
      ratios: ratioRows,
      blocks: Object.fromEntries(
        subjects.map((subject) => [subject, Object.fromEntries(blocks.get(subject)!)]),
      ),
      throughput:
        batches === 0
          ? null
          : Object.fromEntries(
              subjects
                .filter((subject) => !isStackOnly(subject))
                .map((subject) => [
                  subject,
                  {
                    concurrency,
                    latencyMs,
                    batches: Object.fromEntries(batchRows.get(subject)!),
                    failure: batchFailures.get(subject) ?? null,
                  },
                ]),
            ),
    };
    await writeFile(values.out, `${JSON.stringify(result, null, 2)}\n`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
