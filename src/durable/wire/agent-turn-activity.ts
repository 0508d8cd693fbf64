import { z } from 'zod';
import { SerializedErrorSchema } from './serialized-error';
import { WorkflowEventSchema } from '../../core/events';
import { TranscriptMessageSchema } from '../../core/messages';
import { RunPlanSchema } from '../../core/run-plan';
import { AgentTurnResultSchema } from '../../core/turn-result';
import { defineActivity } from './define-activity';

/**
 * One agent turn. The input carries only what the run store lacks: events to persist, new user
 * messages to append after the `knownMessages` already stored, and reply ids to mark handled.
 */
export const AgentTurnInputSchema = z.object({
  runId: z.string().min(1),
  workflow: z.string().min(1),
  /** The definition version the run is pinned to. */
  version: z.string().min(1),
  agent: z.string().min(1),
  /** 1-based number of this agent turn in the run. */
  turn: z.number().int().positive(),
  knownMessages: z.number().int().nonnegative(),
  append: z.array(TranscriptMessageSchema),
  events: z.array(WorkflowEventSchema),
  handledReplyIds: z.array(z.string()),
  checkTerminationFirst: z.boolean(),
});
export type AgentTurnInput = z.infer<typeof AgentTurnInputSchema>;

/**
 * The outcome: a turn result, or a permanent error (retryable errors are thrown instead, so Durable
 * retries them). `plan` is present when the deployed definition differs from the pinned version.
 */
export const AgentTurnOutputSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    result: AgentTurnResultSchema,
    deployedVersion: z.string(),
    plan: RunPlanSchema.optional(),
  }),
  z.object({ ok: z.literal(false), error: SerializedErrorSchema }),
]);
export type AgentTurnOutput = z.infer<typeof AgentTurnOutputSchema>;

/** `handoffAgentTurn`: runs one agent turn against the model. */
export const agentTurnActivity = defineActivity(
  'handoffAgentTurn',
  AgentTurnInputSchema,
  AgentTurnOutputSchema,
);
