/**
 * JSON snapshots of a workflow: the run plan the orchestrator pins, and the public description.
 */
import { z } from 'zod';
import { InteractionModeSchema } from './events';
import { AutonomousSettingsSchema, ToolCallFilteringSchema } from './options';

/**
 * Every data option the orchestrator needs to drive a run. The orchestrator pins it in its input, so a
 * redeploy that changes the definition never changes decisions already taken (see ARCHITECTURE.md).
 * `schemaVersion` changes when the shape does. Plans pinned by earlier builds may hold fields this
 * one no longer has (`participants`, `hasTerminationCondition`): parsing drops them.
 */
export const RunPlanSchema = z.object({
  schemaVersion: z.literal(1),
  workflow: z.string().min(1),
  /** The definition version the plan was taken from. */
  version: z.string().min(1),
  startAgent: z.string().min(1),
  interactionMode: InteractionModeSchema,
  maxTurns: z.number().int().positive(),
  replyTimeoutMs: z.number().int().positive(),
  continueAsNewEvery: z.number().int().positive(),
  /** What of earlier tool calls each agent sees; the agent-turn activity applies the pinned value. */
  toolCallFiltering: ToolCallFilteringSchema,
  /** Autonomous behaviour per agent name; used when the run's mode is autonomous. */
  autonomous: z.record(z.string(), AutonomousSettingsSchema),
});
/** See {@link RunPlanSchema}. */
export type RunPlan = z.infer<typeof RunPlanSchema>;

/** One handoff edge as described publicly; `description` is what the handoff tool says. */
export const HandoffEdgeDescriptionSchema = z.object({
  source: z.string(),
  target: z.string(),
  description: z.string(),
});

/** The JSON served by `GET /api/workflows`: what a workflow is, without its instructions. */
export const WorkflowDescriptionSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  /** The agents; `displayName` is how people read an agent's name, when the definition gives one. */
  participants: z.array(
    z.object({ name: z.string(), displayName: z.string().optional(), description: z.string().optional() }),
  ),
  startAgent: z.string(),
  edges: z.array(HandoffEdgeDescriptionSchema),
  interactionMode: InteractionModeSchema,
  version: z.string(),
});
/** See {@link WorkflowDescriptionSchema}. */
export type WorkflowDescription = z.infer<typeof WorkflowDescriptionSchema>;
