import { z } from 'zod';
import { SerializedErrorSchema } from './serialized-error';
import { WorkflowEventSchema } from '../../core/events';
import { TranscriptMessageSchema } from '../../core/messages';
import { ToolCallFilteringSchema } from '../../core/options';
import { RunPlanSchema } from '../../core/run-plan';
import { TokenUsageSchema } from '../../core/model';
import {
  ApprovalDecisionSchema,
  PendingApprovalSchema,
  TurnDecisionSchema,
  TurnWarningSchema,
} from '../../core/turn-result';
import { defineActivity } from './define-activity';
import { RunNonceSchema } from './run-instance';
import { RunTraceSchema } from './run-trace';

/**
 * One agent turn. The input carries only what the run store lacks: the orchestrator's events to
 * store (their `user_message` events are also the new transcript messages, stored after the
 * `knownMessages` already there) and reply ids to mark handled. The turn writes its own events
 * (answers, warnings, the coordinator's routing) itself, numbered from `firstSeq`, once: the
 * orchestrator continues numbering after them.
 */
export const AgentTurnInputSchema = z.object({
  schemaVersion: z.literal(2),
  runId: z.string().min(1),
  /** The run instance's nonce (see `run-instance.ts`): keys its data in the run store. Absent before #18. */
  nonce: RunNonceSchema.optional(),
  /** The run's trace, from the orchestration input (absent when telemetry was off at the run's start). */
  trace: RunTraceSchema.optional(),
  workflow: z.string().min(1),
  /** The definition version the run is pinned to. */
  version: z.string().min(1),
  agent: z.string().min(1),
  /** 1-based number of this agent turn in the run. */
  turn: z.number().int().positive(),
  knownMessages: z.number().int().nonnegative(),
  /**
   * Messages to store before those of `events`: only user messages an earlier build handed to a
   * sync that did not store them (see `SyncRunOutput.storedMessages`).
   */
  append: z.array(TranscriptMessageSchema).optional(),
  events: z.array(WorkflowEventSchema),
  handledReplyIds: z.array(z.string()),
  checkTerminationFirst: z.boolean(),
  /** The run's pinned tool-call filtering, which wins over the deployed definition's. */
  toolCallFiltering: ToolCallFilteringSchema,
  /** The `seq` of the first event the turn writes; it identifies the turn's slot in the run store. */
  firstSeq: z.number().int().positive(),
  /** Whether the orchestrator asks the human next if the agent answers: then the answer comes back as `prompt`. */
  wantsPrompt: z.boolean(),
  /**
   * Present when the turn resumes after it stopped for approvals: the human's answers to the pending
   * calls of the agent's last response (which the transcript ends with), and where in the transcript
   * the turn's messages begin (the agent sees them as its current turn's, unfiltered).
   */
  resume: z
    .object({
      approvals: z.array(ApprovalDecisionSchema),
      turnStartsAt: z.number().int().nonnegative(),
    })
    .optional(),
  /**
   * Present when the orchestrator runs the turn again after a retryable failure (see
   * `turn-retry.ts`): which attempt this is (2 for the first retry), and the `firstSeq` of the
   * turn's first attempt, where its journal is (the model responses and tool results it recorded
   * are replayed, not asked for again).
   */
  retry: z
    .object({
      attempt: z.number().int().min(2),
      recordsAt: z.number().int().positive(),
    })
    .optional(),
});
export type AgentTurnInput = z.infer<typeof AgentTurnInputSchema>;

/** The turn input of builds before #12 (no `schemaVersion`): events and new user messages apart. */
export const LegacyAgentTurnInputSchema = z.object({
  runId: z.string().min(1),
  workflow: z.string().min(1),
  version: z.string().min(1),
  agent: z.string().min(1),
  turn: z.number().int().positive(),
  knownMessages: z.number().int().nonnegative(),
  append: z.array(TranscriptMessageSchema),
  events: z.array(WorkflowEventSchema),
  handledReplyIds: z.array(z.string()),
  checkTerminationFirst: z.boolean(),
  toolCallFiltering: ToolCallFilteringSchema.optional(),
});
export type LegacyAgentTurnInput = z.infer<typeof LegacyAgentTurnInputSchema>;

/**
 * What the orchestrator needs of a completed turn, and no more: the turn stored its messages and
 * its events (`events` of them, from the input's `firstSeq`), so history records counts, the
 * decision, the termination verdict and usage. `prompt` (the last answer) only when asked for.
 */
export const CompletedTurnSchema = z.object({
  kind: z.literal('completed'),
  /** How many messages the turn added to the transcript (assistant, tool calls, tool results). */
  messageCount: z.number().int().nonnegative(),
  /** How many events the turn wrote, from `firstSeq` on. */
  events: z.number().int().positive(),
  decision: TurnDecisionSchema,
  terminate: z.boolean(),
  usage: TokenUsageSchema,
  prompt: z.string().optional(),
  /**
   * The turn ends the run (`terminate`, no handoff) and its commit also stored the run's closing
   * events, under the two seqs after its own (see `run-closing.ts`): the run needs no finish.
   */
  closedRun: z.literal(true).optional(),
});
export type CompletedTurn = z.infer<typeof CompletedTurnSchema>;

/**
 * A turn that stopped before running a response's calls because some need the human's approval:
 * it stored its messages (ending with that response) and wrote its events; `pending` are the calls
 * to ask about, in the order the model made them. The turn goes on in another activity call.
 */
export const PausedTurnSchema = z.object({
  kind: z.literal('awaiting_approval'),
  messageCount: z.number().int().nonnegative(),
  events: z.number().int().positive(),
  pending: z.array(PendingApprovalSchema).min(1),
  usage: TokenUsageSchema,
});
export type PausedTurn = z.infer<typeof PausedTurnSchema>;

/**
 * A completed turn as builds before #12 summarized it: the orchestrator wrote the turn's events
 * itself, from the answer texts and warnings.
 */
export const LegacyCompletedTurnSchema = z.object({
  kind: z.literal('completed'),
  messageCount: z.number().int().nonnegative(),
  /** The text of each assistant message that has text, in order. */
  texts: z.array(z.string()),
  decision: TurnDecisionSchema,
  terminate: z.boolean(),
  usage: TokenUsageSchema,
  warnings: z.array(TurnWarningSchema),
});
export type LegacyCompletedTurn = z.infer<typeof LegacyCompletedTurnSchema>;

export const TurnSummarySchema = z.union([
  z.object({ kind: z.literal('terminated_before_turn') }),
  CompletedTurnSchema,
  PausedTurnSchema,
  LegacyCompletedTurnSchema,
]);
export type TurnSummary = z.infer<typeof TurnSummarySchema>;

/**
 * The outcome: a turn summary, or an error: permanent, or (`retry`) a model failure a retry may
 * fix, which the orchestrator tries again on its schedule. Other retryable failures (storage) are
 * thrown, so Durable retries them. `redeployed` is present only when the deployed definition differs from the pinned
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
    /**
     * A model failure a retry may fix: the orchestrator waits (see `turn-retry.ts`) and runs the
     * turn again, with a `warning` event. Absent in builds before it, which threw such failures.
     */
    retry: z.literal(true).optional(),
    /** The wait the model asked for (`retry-after`); earlier builds set it only above 2 s, without `retry`. */
    retryAfterMs: z.number().int().positive().optional(),
    /**
     * What the turn warned about before it failed (e.g. the `invalid_handoff` corrections of an agent
     * that kept handing off where it may not): recorded before the run's `error` event.
     */
    warnings: z.array(TurnWarningSchema).optional(),
  }),
]);
export type AgentTurnOutput = z.infer<typeof AgentTurnOutputSchema>;

/**
 * `handoffAgentTurn`: runs one agent turn against the model. It also accepts the input of earlier
 * builds (a turn they scheduled and had not run), and answers it as they did.
 */
export const agentTurnActivity = defineActivity(
  'handoffAgentTurn',
  z.union([AgentTurnInputSchema, LegacyAgentTurnInputSchema]),
  AgentTurnOutputSchema,
);

/** The commit record of a turn in the run store: its outcome, and its messages (to restore them). */
export const CommittedTurnSchema = z.object({
  output: AgentTurnOutputSchema,
  messages: z.array(TranscriptMessageSchema),
});
export type CommittedTurn = z.infer<typeof CommittedTurnSchema>;
