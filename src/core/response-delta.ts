/**
 * A piece of an agent's answer while the model is still writing it: a preview, not a run event.
 *
 * Deltas never take a `seq` (the orchestrator numbers the durable log) and never change what the
 * run records: the turn's `agent_response` event, when it comes, is the answer. Deltas of one
 * `(agent, turn, attempt)` concatenate to the preview text; a delta with a higher `attempt` for the
 * same turn starts the preview again (the earlier attempt failed and Durable retried it).
 */
import { z } from 'zod';

/** The SSE message type of a preview piece. */
export const AGENT_RESPONSE_DELTA = 'agent_response_delta';

/** A piece of an answer being written (see the module's note). */
export const AgentResponseDeltaSchema = z.object({
  type: z.literal(AGENT_RESPONSE_DELTA),
  /** The agent writing. */
  agent: z.string(),
  /** The run's agent turn (1-based), as the status endpoint counts them. */
  turn: z.number().int().positive(),
  /** The attempt of that turn (1 for the first); a higher one restarts the preview. */
  attempt: z.number().int().positive(),
  /** Text to append to the preview of this `(agent, turn, attempt)`. */
  delta: z.string(),
});
export type AgentResponseDelta = z.infer<typeof AgentResponseDeltaSchema>;
