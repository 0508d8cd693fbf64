/**
 * The bench's command-line flags, parsed with `node:util` and validated with zod. Explicit flags
 * win over `--quick`'s defaults.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { BenchError } from './bench-error';
import { FRAMEWORKS } from './frameworks/registry';
import { SCENARIO_NAMES } from './scenario/scenarios';

/** The usage text printed by `--help` and with every flag error. */
export const USAGE = `Usage: npm run bench -- [flags]

  --runs N               measured runs per framework and scenario (default 50; --quick: 5)
  --warmup N             unrecorded warm-up runs before them (default 10; --quick: 2)
  --throughput-runs N    measured concurrent batches per framework (default 3; --quick: 1)
  --throughput-warmup N  warm-up batches (default 1)
  --concurrency N        runs per concurrent batch (default 200)
  --latency MS           model latency in the throughput phase (default 100)
  --no-throughput        skip the throughput phase
  --only NAME[,NAME]     frameworks to run (default: all but ${FRAMEWORKS.filter((f) => f.optIn === true)
    .map((f) => f.name)
    .join(', ')}): ${FRAMEWORKS.map((f) => f.name).join(', ')}
  --scenario NAME[,NAME] scenarios to run (default: all): ${SCENARIO_NAMES.join(', ')}
  --quick                fewer runs, for a smoke check (figures are noisy)
  --out PATH             where to write the results (default bench/results/latest.json)
  --help                 this text`;

const count = (name: string) =>
  z.coerce
    .number({ error: `--${name} must be a number` })
    .int(`--${name} must be a whole number`)
    .min(0, `--${name} must be 0 or more`);

const OptionsSchema = z.object({
  runs: count('runs').min(1, '--runs must be at least 1'),
  warmup: count('warmup'),
  throughputRuns: count('throughput-runs').min(1, '--throughput-runs must be at least 1'),
  throughputWarmup: count('throughput-warmup'),
  concurrency: count('concurrency').min(1, '--concurrency must be at least 1'),
  latencyMs: count('latency').min(1, '--latency must be at least 1 ms (the ideal is computed from it)'),
  throughput: z.boolean(),
  frameworks: z.array(z.string()).min(1),
  scenarios: z
    .array(
      z.enum(SCENARIO_NAMES, {
        error: (issue) =>
          `unknown scenario ${JSON.stringify(issue.input)}; known: ${SCENARIO_NAMES.join(', ')}`,
      }),
    )
    .min(1),
  quick: z.boolean(),
  out: z.string(),
  help: z.boolean(),
});

/** The validated options of one bench run. */
export type BenchOptions = z.infer<typeof OptionsSchema>;

/**
 * Parses `argv` (without the node and script paths).
 *
 * @example
 * ```ts
 * parseBenchOptions(['--quick', '--only', 'openai-agents']).runs; // 5
 * ```
 */
export function parseBenchOptions(argv: readonly string[], benchDirectory: string): BenchOptions {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new BenchError(
      'invalid_option',
      `${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`,
    );
  }
  const quick = values.quick === true;
  const frameworks =
    list(values.only) ?? FRAMEWORKS.filter((entry) => entry.optIn !== true).map((entry) => entry.name);
  const unknown = frameworks.filter((name) => !FRAMEWORKS.some((entry) => entry.name === name));
  if (unknown.length > 0) {
    throw new BenchError(
      'invalid_option',
      `--only names unknown framework(s) ${unknown.join(', ')}. Registered: ${FRAMEWORKS.map((f) => f.name).join(', ')}.`,
    );
  }
  const parsed = OptionsSchema.safeParse({
    runs: values.runs ?? (quick ? 5 : 50),
    warmup: values.warmup ?? (quick ? 2 : 10),
    throughputRuns: values['throughput-runs'] ?? (quick ? 1 : 3),
    throughputWarmup: values['throughput-warmup'] ?? 1,
    concurrency: values.concurrency ?? 200,
    latencyMs: values.latency ?? 100,
    throughput: values['no-throughput'] !== true,
    frameworks,
    scenarios: list(values.scenario) ?? [...SCENARIO_NAMES],
    quick,
    out: resolve(values.out ?? resolve(benchDirectory, 'results', 'latest.json')),
    help: values.help === true,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => issue.message).join('; ');
    throw new BenchError('invalid_option', `${problems}\n\n${USAGE}`);
  }
  return parsed.data;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      runs: { type: 'string' },
      warmup: { type: 'string' },
      'throughput-runs': { type: 'string' },
      'throughput-warmup': { type: 'string' },
      concurrency: { type: 'string' },
      latency: { type: 'string' },
      'no-throughput': { type: 'boolean' },
      only: { type: 'string', multiple: true },
      scenario: { type: 'string', multiple: true },
      quick: { type: 'boolean' },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
}

/** `--flag a,b --flag c` as `['a', 'b', 'c']`, or `undefined` when the flag is absent. */
function list(values: readonly string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  return values
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');
}
