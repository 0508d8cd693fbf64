/**
 * The shape of `bench/results/latest.json`, as zod schemas (the file is validated before it is
 * written, so a reader can trust it). `schemaVersion` changes when a field changes meaning.
 */
import { z } from 'zod';

/** A summary of repeated measurements (see `measure/stats.ts`). */
export const StatsSchema = z.object({
  n: z.number().int().positive(),
  median: z.number(),
  p10: z.number(),
  p90: z.number(),
  min: z.number(),
  max: z.number(),
});

/** Where and when the bench ran. */
export const MachineSchema = z.object({
  node: z.string(),
  platform: z.string(),
  arch: z.string(),
  cpuModel: z.string(),
  cores: z.number().int(),
  totalMemoryMb: z.number(),
  date: z.string(),
  gitCommit: z.string(),
  /** True when the working tree had uncommitted changes. */
  gitDirty: z.boolean(),
  /**
   * `os.loadavg()` (1, 5, 15 minutes) when the bench started and ended. A load above the core count
   * means other processes competed for the CPU: absolute figures are then inflated, and ratios
   * (interleaved, paired by round) are the figures to read.
   */
  loadAverage: z.object({ start: z.array(z.number()), end: z.array(z.number()) }),
});

/** A framework that took part, with figures that are not per scenario. */
export const FrameworkInfoSchema = z.object({
  name: z.string(),
  kind: z.enum(['peer', 'ours']),
  description: z.string(),
  /** Time to import the framework's modules and create it, in a fresh worker process. */
  loadMs: z.number(),
  setupMs: z.number(),
  /** Peak RSS of the framework's worker process after the sequential phase, and after the throughput phase (MB). */
  peakRssMb: z.object({ sequential: z.number(), throughput: z.number().nullable() }),
  /**
   * Peak RSS (VmHWM, MB) of the worker's child processes by command (Azurite for durable-handoff),
   * read when the worker's own peak is; absent for frameworks without child processes.
   */
  childPeakRssMb: z
    .object({
      sequential: z.record(z.string(), z.number()),
      throughput: z.record(z.string(), z.number()).nullable(),
    })
    .optional(),
});

/** A ratio of one framework's figure to a peer's, from runs of the same rounds. */
export const RatioSchema = z.object({
  framework: z.string(),
  versus: z.string(),
  /** Ratio of overhead per turn, paired by round: its median and spread over rounds. */
  overheadPerTurn: StatsSchema,
  /** Ratio of wall time per run, paired by round. */
  wallMs: StatsSchema,
  /** Ratio of the worker's CPU time per turn, paired by round. */
  cpuPerTurn: StatsSchema,
});

/** One framework's figures in one scenario. */
export const ScenarioFigureSchema = z.object({
  framework: z.string(),
  /** Agent turns per run (checked equal to the framework's own count and to the model requests). */
  turns: z.number().int(),
  modelRequestsPerRun: z.number(),
  wallMs: StatsSchema,
  serverMs: StatsSchema,
  overheadPerTurnMs: StatsSchema,
  /** The worker process's CPU time per agent turn (user + system), ms. */
  cpuPerTurnMs: StatsSchema,
});

/** One scenario's results. */
export const ScenarioResultSchema = z.object({
  name: z.string(),
  title: z.string(),
  route: z.array(z.string()),
  figures: z.array(ScenarioFigureSchema),
  ratios: z.array(RatioSchema),
});

/** The throughput phase's results. */
export const ThroughputResultSchema = z.object({
  scenario: z.string(),
  concurrency: z.number().int(),
  latencyMs: z.number(),
  idealBatchMs: z.number(),
  idealRunsPerSecond: z.number(),
  figures: z.array(
    z.object({
      framework: z.string(),
      batchWallMs: StatsSchema,
      runsPerSecond: StatsSchema,
      efficiency: StatsSchema,
      /** The worker process's CPU time per run during a batch (batch CPU / concurrency), ms. */
      workerCpuMsPerRun: StatsSchema,
      /** CPU of the model server's process during a batch, as a fraction of one core. */
      modelServerCpu: StatsSchema,
    }),
  ),
});

/** One ours-only figure (see `ours-only/ours-only-figures.ts` for the ids). */
export const OursOnlyFigureSchema = z.object({
  id: z.string(),
  label: z.string(),
  unit: z.string(),
  framework: z.string(),
  stats: StatsSchema,
  note: z.string().optional(),
});

/** A target of the issue and how this run measured against it. */
export const TargetResultSchema = z.object({
  id: z.string(),
  description: z.string(),
  comparison: z.enum(['<', '<=', '>=']),
  threshold: z.number(),
  /** The measured value (a median), or null when it was not measured. */
  value: z.number().nullable(),
  status: z.enum(['met', 'missed', 'not_measured']),
  /** Where the value comes from, or why it is missing. */
  basis: z.string(),
});

/** The whole file. */
export const BenchResultsSchema = z.object({
  schemaVersion: z.literal(1),
  machine: MachineSchema,
  options: z.object({
    runs: z.number().int(),
    warmup: z.number().int(),
    throughputRuns: z.number().int(),
    throughputWarmup: z.number().int(),
    concurrency: z.number().int(),
    latencyMs: z.number(),
    scenarios: z.array(z.string()),
    frameworks: z.array(z.string()),
    quick: z.boolean(),
  }),
  frameworks: z.array(FrameworkInfoSchema),
  scenarios: z.array(ScenarioResultSchema),
  throughput: ThroughputResultSchema.nullable(),
  oursOnly: z.object({
    figures: z.array(OursOnlyFigureSchema),
    /** Ids of ours-only figures no registered measurement produced. */
    missing: z.array(z.string()),
  }),
  targets: z.array(TargetResultSchema),
});

/** The contents of latest.json. */
export type BenchResults = z.infer<typeof BenchResultsSchema>;
/** One target's result. */
export type TargetResult = z.infer<typeof TargetResultSchema>;
/** One scenario's results. */
export type ScenarioResult = z.infer<typeof ScenarioResultSchema>;
/** The throughput results. */
export type ThroughputResult = z.infer<typeof ThroughputResultSchema>;
/** One ours-only figure. */
export type OursOnlyFigure = z.infer<typeof OursOnlyFigureSchema>;
/** A framework's general figures. */
export type FrameworkInfo = z.infer<typeof FrameworkInfoSchema>;
