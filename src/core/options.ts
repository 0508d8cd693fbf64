/**
 * Option types of a handoff workflow that are data (they travel in the run plan).
 */
import { z } from 'zod';
import type { AgentDefinition } from './agent';
import { WorkflowDefinitionError } from './errors';
import { type InteractionMode, InteractionModeSchema } from './events';

/**
 * What of the transcript an agent sees of *other* turns, applied to every model request:
 * - `handoff_only` (default): drop handoff tool calls and their results; keep other tool calls.
 * - `all`: drop every tool call and tool result; agents see text only.
 * - `none`: keep everything.
 *
 * An agent's own messages of the current turn are never filtered.
 */
export const ToolCallFilteringSchema = z.enum(['handoff_only', 'all', 'none']);
/** See {@link ToolCallFilteringSchema}. */
export type ToolCallFiltering = z.infer<typeof ToolCallFilteringSchema>;

/** Interaction modes accepted by the builder; `'interactive'` (the article's name) means `'human_in_loop'`. */
export type InteractionModeInput = InteractionMode | 'interactive';

/** The canonical mode for `mode`, or a {@link WorkflowDefinitionError} naming the allowed values. */
export function normalizeInteractionMode(mode: unknown): InteractionMode {
  if (mode === 'interactive') return 'human_in_loop';
  const parsed = InteractionModeSchema.safeParse(mode);
  if (parsed.success) return parsed.data;
  throw new WorkflowDefinitionError(
    `Unknown interaction mode ${JSON.stringify(mode)}. Allowed modes: human_in_loop, autonomous (and 'interactive', an alias of human_in_loop).`,
  );
}

/** The canonical filtering for `value`, or a {@link WorkflowDefinitionError} naming the allowed values. */
export function parseToolCallFiltering(value: unknown): ToolCallFiltering {
  const parsed = ToolCallFilteringSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new WorkflowDefinitionError(
    `Unknown tool-call filtering ${JSON.stringify(value)}. Allowed values: ${ToolCallFilteringSchema.options.join(', ')}.`,
  );
}

/** How one agent behaves when a run is autonomous. */
export const AutonomousSettingsSchema = z.object({
  /** Whether the agent continues on its own after answering; false means it asks the human. */
  enabled: z.boolean(),
  /** The synthetic user message that asks it to continue. */
  prompt: z.string().min(1),
  /** Autonomous turns in a row before the workflow asks the human. */
  turnLimit: z.number().int().positive(),
});
/** See {@link AutonomousSettingsSchema}. */
export type AutonomousSettings = z.infer<typeof AutonomousSettingsSchema>;

/**
 * What `withAutonomousMode` takes. Keys of `prompts` and `turnLimits` records are agent names; a single
 * string or number applies to every agent.
 */
export interface AutonomousModeOptions {
  /** Agents that continue autonomously (default: all). Others ask the human even in autonomous mode. */
  agents?: readonly (AgentDefinition | string)[];
  /** The continuation prompt, for all agents or per agent name. */
  prompts?: string | Readonly<Record<string, string>>;
  /** The autonomous turn limit, for all agents or per agent name. */
  turnLimits?: number | Readonly<Record<string, number>>;
}

/** A positive safe integer, or a {@link WorkflowDefinitionError} naming the option and the value. */
export function positiveIntegerOption(option: string, value: unknown, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? 'a positive integer' : `an integer from 1 to ${max}`;
    throw new WorkflowDefinitionError(`${option} must be ${range}, got ${JSON.stringify(value)}.`);
  }
  return value;
}
