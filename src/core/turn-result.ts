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

/** A tool call that ran in the turn, in the order they ran: what its `tool_call`/`tool_result` events say. */
export const ToolRunSchema = z.object({
  callId: z.string().min(1),
  tool: z.string().min(1),
  arguments: z.json(),
  ok: z.boolean(),
});
export type ToolRun = z.infer<typeof ToolRunSchema>;

/** A call that waits for the human's approval before it may run. */
export const PendingApprovalSchema = z.object({
  callId: z.string().min(1),
  tool: z.string().min(1),
  arguments: z.json(),
});
export type PendingApproval = z.infer<typeof PendingApprovalSchema>;

/** The human's answer to a pending approval. */
export const ApprovalDecisionSchema = z.object({
  callId: z.string().min(1),
  approved: z.boolean(),
  reason: z.string().optional(),
});
export type ApprovalDecision = z.infer<typeof ApprovalDecisionSchema>;

/**
 * - `terminated_before_turn`: the termination condition held on the transcript as given; no model call.
 * - `completed`: the turn's new messages (assistant messages, tool calls and results, including the
 *   synthetic "Transferred to X." result), the decision, the termination verdict after a reply that is
 *   not a handoff (always false for a handoff), token usage, warnings and the tools that ran.
 * - `awaiting_approval`: the turn stopped before running a response's calls, because some need the
 *   human's approval (`pending`); its messages so far end with that response. It goes on (the same
 *   turn) once every pending call has an answer.
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
    toolRuns: z.array(ToolRunSchema).optional(),
  }),
  z.object({
    kind: z.literal('awaiting_approval'),
    messages: z.array(TranscriptMessageSchema),
    /** The calls of the turn's last response that need an answer, in the order the model made them. */
    pending: z.array(PendingApprovalSchema).min(1),
    usage: TokenUsageSchema,
    warnings: z.array(TurnWarningSchema),
    toolRuns: z.array(ToolRunSchema).optional(),
  }),
]);
/** See {@link AgentTurnResultSchema}. */
export type AgentTurnResult = z.infer<typeof AgentTurnResultSchema>;
