import { z } from 'zod';
import { SerializedErrorSchema } from './serialized-error';
import { WorkflowEventSchema } from '../../core/events';
import { TranscriptMessageSchema } from '../../core/messages';
import { ToolCallFilteringSchema } from '../../core/options';
import { RunPlanSchema } from '../../core/run-plan';
import { TokenUsageSchema } from '../../core/model';
import { TurnDecisionSchema, TurnWarningSchema } from '../../core/turn-result';
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
  /** The run's pinned tool-call filtering (absent in inputs of earlier builds: the deployed one applies). */
  toolCallFiltering: ToolCallFilteringSchema.optional(),
});
export type AgentTurnInput = z.infer<typeof AgentTurnInputSchema>;

/**
 * What the orchestrator needs of a turn, and no more: the turn's messages stay in the run store (the
 * activity wrote them), so history records only their count and the agents' texts (for the
 * `agent_response` events and the next question's prompt).
 */
export const TurnSummarySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('terminated_before_turn') }),
  z.object({
    kind: z.literal('completed'),
    /** How many messages the turn added to the transcript (assistant, tool calls, tool results). */
    messageCount: z.number().int().nonnegative(),
    /** The text of each assistant message that has text, in order. */
    texts: z.array(z.string()),
    decision: TurnDecisionSchema,
    terminate: z.boolean(),
    usage: TokenUsageSchema,
    warnings: z.array(TurnWarningSchema),
  }),
]);
export type TurnSummary = z.infer<typeof TurnSummarySchema>;

/**
 * The outcome: a turn summary, or a permanent error (retryable errors are thrown instead, so Durable
 * retries them). `redeployed` is present only when the deployed definition differs from the pinned
 * version: its version and the new plan.
 */
export const AgentTurnOutputSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    turn: TurnSummarySchema,
    redeployed: z.object({ version: z.string(), plan: RunPlanSchema }).optional(),
  }),
  z.object({
    ok: z.literal(false),
    error: SerializedErrorSchema,
    /** Set for a retryable failure whose server asked for a longer wait than Durable's retries give. */
    retryAfterMs: z.number().int().positive().optional(),
  }),
]);
export type AgentTurnOutput = z.infer<typeof AgentTurnOutputSchema>;

/** `handoffAgentTurn`: runs one agent turn against the model. */
export const agentTurnActivity = defineActivity(
  'handoffAgentTurn',
  AgentTurnInputSchema,
  AgentTurnOutputSchema,
);
