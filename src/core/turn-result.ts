/**
 * The result of one agent turn: a JSON wire type, since it crosses the activity boundary and is
 * recorded in the durable history (routing and termination verdicts are read back, not recomputed).
 */
import { z } from 'zod';
import { TranscriptMessageSchema } from './messages';
import { TokenUsageSchema } from './model';

/** A warning raised during a turn (`code` as in `TurnWarningCode`, e.g. `invalid_handoff`). */
export const TurnWarningSchema = z.object({ code: z.string().min(1), message: z.string() });

/** Where the conversation goes after the turn: to another agent, or back to the human / autonomous prompt. */
export const TurnDecisionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('handoff'), target: z.string().min(1), reason: z.string().optional() }),
  z.object({ kind: z.literal('respond') }),
]);
/** See {@link TurnDecisionSchema}. */
export type TurnDecision = z.infer<typeof TurnDecisionSchema>;

/**
 * - `terminated_before_turn`: the termination condition held on the transcript as given; no model call.
 * - `completed`: the turn's new messages (assistant messages, tool calls and results, including the
 *   synthetic "Transferred to X." result), the decision, the termination verdict after a reply that is
 *   not a handoff (always false for a handoff), token usage and warnings.
 */
export const AgentTurnResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('terminated_before_turn') }),
  z.object({
    kind: z.literal('completed'),
    messages: z.array(TranscriptMessageSchema),
    decision: TurnDecisionSchema,
    terminate: z.boolean(),
    usage: TokenUsageSchema,
    warnings: z.array(TurnWarningSchema),
  }),
]);
/** See {@link AgentTurnResultSchema}. */
export type AgentTurnResult = z.infer<typeof AgentTurnResultSchema>;
