/**
 * The messages between the stack-floor tool and one subject's process (Node IPC), with their zod
 * schemas, used on both sides. One request at a time; each gets exactly one reply.
 */
import { z } from 'zod';

/**
 * The subjects the tool measures: the floor app (`stack-floor-*`; `stack-only-*` is the same app
 * with no I/O in its turns), durable-handoff's sample app, and the peers the targets name (OpenAI Agents JS; LangGraph swarm with its SQLite checkpointer, for Azurite).
 */
export const FLOOR_SUBJECTS = [
  'openai-agents',
  'langgraph-swarm-sqlite',
  'stack-only-memory',
  'stack-floor-memory',
  'durable-handoff-memory',
  'stack-only-azurite',
  'stack-floor-azurite',
  'durable-handoff-azurite',
  'stack-only-dtfx',
  'stack-floor-dtfx',
  'durable-handoff-dtfx',
] as const;
/** A subject's name. */
export type FloorSubject = (typeof FLOOR_SUBJECTS)[number];

/**
 * Whether a subject runs on Microsoft's real Durable engine (devhost/dtfx, .NET, with Azurite):
 * measured only when named (`--only`, `--real-engine`), as it needs .NET and the built host.
 */
export function isRealEngineSubject(subject: FloorSubject): boolean {
  return subject.endsWith('-dtfx');
}

/** The subjects measured when none are named: all but the real engine's. */
export const DEFAULT_FLOOR_SUBJECTS: readonly FloorSubject[] = FLOOR_SUBJECTS.filter(
  (subject) => !isRealEngineSubject(subject),
);

/** Whether a subject is a Functions app on the local host (its CPU can be split, its requests counted). */
export function isHostedSubject(subject: FloorSubject): boolean {
  return subject.startsWith('stack-') || subject.startsWith('durable-handoff-');
}

/** Whether a subject's turns make no model call and no storage request (the stack alone). */
export function isStackOnly(subject: FloorSubject): boolean {
  return subject.startsWith('stack-only-');
}

export const FloorRequestSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('setup'),
    endpoint: z.object({ baseUrl: z.string(), apiKey: z.string(), model: z.string() }),
  }),
  /** `runs` handoff runs one after the other, no hooks: CPU and wall time per run. */
  z.object({ type: z.literal('plain'), runs: z.number().int().positive() }),
  /** `runs` handoff runs with the cost attribution on: busy time by area, requests by destination. */
  z.object({ type: z.literal('hooked'), runs: z.number().int().positive() }),
  /** `concurrency` handoff runs started together. */
  z.object({ type: z.literal('batch'), concurrency: z.number().int().positive() }),
  z.object({ type: z.literal('teardown') }),
]);
export type FloorRequest = z.infer<typeof FloorRequestSchema>;

const RunSchema = z.object({ wallMs: z.number(), cpuMs: z.number() });
/** One plain run: wall time and the process's CPU time (user + system, all threads), ms. */
export type FloorRun = z.infer<typeof RunSchema>;

const AreaRecord = z.record(z.string(), z.number());
export const TallySchema = z.object({
  busyMs: AreaRecord,
  requests: z.record(z.string(), AreaRecord),
  /** Request body bytes the app sent to storage and to the model, where the request names its length. */
  storageBytes: z.number(),
  modelBytes: z.number(),
});
/** What the hooked runs of one request counted, summed over the runs. */
export type FloorTally = z.infer<typeof TallySchema>;

export const FloorReplySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), description: z.string() }),
  /**
   * `engineCpuMs`: on the real engine, the .NET engine process's CPU time (user + system, from
   * /proc, 10 ms ticks) over all the block's runs together.
   */
  z.object({
    type: z.literal('plain_done'),
    runs: z.array(RunSchema),
    engineCpuMs: z.number().optional(),
  }),
  z.object({ type: z.literal('hooked_done'), tally: TallySchema }),
  /** `maxRssMb`: the process's peak resident set since it started. */
  z.object({ type: z.literal('batch_done'), wallMs: z.number(), cpuMs: z.number(), maxRssMb: z.number() }),
  z.object({ type: z.literal('torn_down') }),
  z.object({ type: z.literal('failed'), message: z.string() }),
]);
export type FloorReply = z.infer<typeof FloorReplySchema>;
