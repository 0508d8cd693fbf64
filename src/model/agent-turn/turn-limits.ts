/**
 * Bounds of one agent turn: how long a misbehaving model or failing tool may keep the turn going.
 */
import { WorkflowInputError } from '../../core/errors';

/** Bounds of one agent turn. */
export interface AgentTurnLimits {
  /**
   * Responses with an invalid call (a handoff the agent was not offered, an unknown tool, unusable
   * arguments) that are answered with an error result and retried; one more fails the turn with
   * `ModelBehaviorError`. Default 3.
   */
  maxCorrections: number;
  /** Responses that run own tools (each followed by another model call); one more fails the turn with `ModelBehaviorError`. Default 10. */
  maxToolRoundTrips: number;
  /** Responses in which an own tool threw (reported to the model); one more fails the turn with `ToolExecutionError`. Default 3. */
  maxToolErrors: number;
}

/** The default bounds. */
export const DEFAULT_AGENT_TURN_LIMITS: Readonly<AgentTurnLimits> = Object.freeze({
  maxCorrections: 3,
  maxToolRoundTrips: 10,
  maxToolErrors: 3,
});

/** `limits` over the defaults, each checked to be a non-negative integer. */
export function resolveTurnLimits(limits: Partial<AgentTurnLimits> = {}): AgentTurnLimits {
  const resolved = { ...DEFAULT_AGENT_TURN_LIMITS, ...limits };
  for (const [key, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new WorkflowInputError(
        `Agent turn limit ${key} must be a non-negative integer, got ${JSON.stringify(value)}.`,
      );
    }
  }
  return resolved;
}
