/**
 * The messages between the bench runner and a framework worker process (Node IPC), defined once
 * with their zod schemas and used on both sides. Every message is validated when it arrives.
 */
import { z } from 'zod';
import { SCENARIO_NAMES } from '../scenario/scenarios';

const RunOutcomeSchema = z.object({
  finalAnswer: z.string(),
  lastAgent: z.string(),
  agentTurns: z.number().int().nonnegative(),
});

/** What the runner asks a worker to do. One request at a time; each gets exactly one reply. */
export const WorkerRequestSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('setup'),
    endpoint: z.object({ baseUrl: z.string().url(), apiKey: z.string(), model: z.string() }),
  }),
  /** One timed run of a scenario. */
  z.object({ type: z.literal('run'), scenario: z.enum(SCENARIO_NAMES) }),
  /** `concurrency` runs of a scenario started together, timed as a batch. */
  z.object({
    type: z.literal('batch'),
    scenario: z.enum(SCENARIO_NAMES),
    concurrency: z.number().int().positive(),
  }),
  z.object({ type: z.literal('memory') }),
  z.object({ type: z.literal('teardown') }),
]);
/** A request to a worker. */
export type WorkerRequest = z.infer<typeof WorkerRequestSchema>;

/** Process memory, in bytes. `maxRss` is the peak resident set size since the process started. */
export const MemorySnapshotSchema = z.object({
  rss: z.number().nonnegative(),
  maxRss: z.number().nonnegative(),
  heapUsed: z.number().nonnegative(),
  /** The worker's child processes (Azurite for durable-handoff): their RSS now and peak (VmHWM). */
  children: z.array(
    z.object({ command: z.string(), rss: z.number().nonnegative(), maxRss: z.number().nonnegative() }),
  ),
});
/** A worker's memory. */
export type MemorySnapshot = z.infer<typeof MemorySnapshotSchema>;

/** What a worker answers. */
export const WorkerReplySchema = z.discriminatedUnion('type', [
  /** Setup finished: the framework's description, `loadMs` to import the framework's modules and create it, `setupMs` for its `setup`. */
  z.object({ type: z.literal('ready'), description: z.string(), loadMs: z.number(), setupMs: z.number() }),
  /** `cpuMs`: the worker process's CPU time (user + system, all its threads) during the run. */
  z.object({ type: z.literal('ran'), wallMs: z.number(), cpuMs: z.number(), outcome: RunOutcomeSchema }),
  z.object({
    type: z.literal('batch_done'),
    wallMs: z.number(),
    cpuMs: z.number(),
    outcomes: z.array(RunOutcomeSchema),
  }),
  z.object({ type: z.literal('memory'), memory: MemorySnapshotSchema }),
  z.object({ type: z.literal('torn_down') }),
  /** The request failed; the framework's error, as text. */
  z.object({ type: z.literal('failed'), message: z.string() }),
]);
/** A reply from a worker. */
export type WorkerReply = z.infer<typeof WorkerReplySchema>;
