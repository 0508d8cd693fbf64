/**
 * Recordings of orchestrations: per execution (continue-as-new generation), every episode's
 * payload as sent to the orchestrator and what the orchestrator returned. Saved as JSON files,
 * they are replayed through durable-functions to prove a code change still takes the same path.
 */
import { z } from 'zod';
import { OrchestrationPayloadSchema } from './orchestration-payload';
import { OrchestratorStateSchema } from './orchestrator-state';

/** The format tag of recording files. */
export const RECORDING_FORMAT = 'durable-handoff.devhost.recording/1';

/** What one episode's orchestrator invocation returned. */
export const RecordedResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('state'), state: OrchestratorStateSchema }),
  z.object({ kind: z.literal('failed'), message: z.string() }),
]);

/**
 * One episode: the payload, the result, and the engine's verdict on it (`running`, `completed`,
 * `continuedAsNew` or `failed: <reason>`, non-determinism included).
 */
export const RecordedEpisodeSchema = z.object({
  payload: OrchestrationPayloadSchema,
  result: RecordedResultSchema,
  verdict: z.string().optional(),
});
/** One recorded episode. */
export type RecordedEpisode = z.infer<typeof RecordedEpisodeSchema>;

/** Schema of a recording (validate files with it). */
export const OrchestrationRecordingSchema = z.object({
  format: z.literal(RECORDING_FORMAT),
  instanceId: z.string(),
  orchestrator: z.string(),
  executions: z.array(z.object({ executionId: z.string(), episodes: z.array(RecordedEpisodeSchema) })),
});

/** Every execution of one instance with, per episode, the payload and the orchestrator's result. */
export type OrchestrationRecording = z.infer<typeof OrchestrationRecordingSchema>;
