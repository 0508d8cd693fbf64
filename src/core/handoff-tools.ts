/**
 * Handoff tools: each allowed target of an agent becomes a function tool `handoff_to_<target>`.
 *
 * The tools are never executed: a call is the agent's request to hand off, answered with a synthetic
 * result ("Transferred to <target>.") so the agent's own history keeps valid call/result pairs.
 */
import { HANDOFF_TOOL_PREFIX } from './names';
import type { ToolSpec } from './model';

/** One allowed handoff of an agent, as offered to its model. */
export interface HandoffTarget {
  /** The target agent's name. */
  readonly target: string;
  /** `handoff_to_<target>`. */
  readonly toolName: string;
  /** The tool description: the edge's description, else the target's description, else a default sentence. */
  readonly description: string;
}

/** The handoff tool name for `target`. */
export function handoffToolName(target: string): string {
  return `${HANDOFF_TOOL_PREFIX}${target}`;
}

/** The target named by a `handoff_to_<target>` tool name, or undefined for other names. */
export function handoffTargetOf(toolName: string): string | undefined {
  return toolName.startsWith(HANDOFF_TOOL_PREFIX) ? toolName.slice(HANDOFF_TOOL_PREFIX.length) : undefined;
}

/** True for names of the `handoff_to_` family, valid or not. */
export function isHandoffToolName(toolName: string): boolean {
  return toolName.startsWith(HANDOFF_TOOL_PREFIX);
}

/** The description used when neither the edge nor the target agent has one. */
export function defaultHandoffDescription(target: string): string {
  return `Hand off the conversation to the ${target} agent.`;
}

/** The parameters of every handoff tool: none needed, an optional `reason`. */
export const HANDOFF_TOOL_PARAMETERS: Readonly<Record<string, unknown>> = Object.freeze({
  type: 'object',
  properties: {
    reason: { type: 'string', description: 'Optional: why the conversation is handed off.' },
  },
  additionalProperties: false,
});

/** The tool spec offered to the model for one handoff target. */
export function handoffToolSpec(target: HandoffTarget): ToolSpec {
  return {
    name: target.toolName,
    description: target.description,
    parameters: structuredCloneJson(HANDOFF_TOOL_PARAMETERS),
  };
}

function structuredCloneJson(value: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}
