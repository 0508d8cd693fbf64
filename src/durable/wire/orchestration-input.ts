import { z } from 'zod';
import { InteractionModeSchema, WorkflowEventSchema } from '../../core/events';
import { TranscriptMessageSchema } from '../../core/messages';
import { TokenUsageSchema } from '../../core/model';
import { RunPlanSchema } from '../../core/run-plan';
import { MAX_MESSAGE_LENGTH } from '../../core/run-input';
import { RunNonceSchema } from './run-instance';
import { RunTraceSchema } from './run-trace';

/**
 * What a generation of the orchestrator carries over a `continueAsNew`: the run's state, so the new
 * generation continues exactly where the previous one stopped — counters, not the conversation,
 * which stays in the run store, so a long conversation does not make every generation heavier. It is
 * only ever written at the top of the loop, before an agent turn, never while a reply is awaited.
 */
export const CarriedStateSchema = z.object({
  schemaVersion: z.literal(3),
  generation: z.number().int().positive(),
  /**
   * How many messages the transcript has. The run store holds them all but the user messages of
   * `pendingEvents` (stored with those events) and `unstored`.
   */
  messageCount: z.number().int().nonnegative(),
  /** User messages an earlier build's sync was handed without storing them; almost always absent. */
  unstored: z.array(TranscriptMessageSchema).optional(),
  activeAgent: z.string().min(1),
  turn: z.number().int().nonnegative(),
  autonomousTurns: z.record(z.string(), z.number().int().nonnegative()),
  checkTerminationFirst: z.boolean(),
  nextSeq: z.number().int().positive(),
  pendingEvents: z.array(WorkflowEventSchema),
  recentReplyIds: z.array(z.string()),
  unmarkedReplyIds: z.array(z.string()),
  usage: z.record(z.string(), TokenUsageSchema),
  handoffs: z.number().int().nonnegative(),
});
export type CarriedState = z.infer<typeof CarriedStateSchema>;

/**
 * The carried state of builds before #12 (`schemaVersion` 2): the user messages not yet stored were
 * carried apart (`unsaved`), as well as inside their pending `user_message` events. Read as version
 * 3: the messages whose events are pending are stored with them; any others stay `unstored`.
 */
export const LegacyCarriedStateSchema = CarriedStateSchema.omit({ schemaVersion: true, unstored: true })
  .extend({ schemaVersion: z.literal(2), unsaved: z.array(TranscriptMessageSchema) })
  .transform(({ schemaVersion: _v, unsaved, ...state }): CarriedState => {
    const withEvents = state.pendingEvents.filter((event) => event.type === 'user_message').length;
    const unstored = unsaved.slice(0, Math.max(0, unsaved.length - withEvents));
    return { schemaVersion: 3, ...state, ...(unstored.length > 0 ? { unstored } : {}) };
  });

/** The input of the handoff orchestrator. The workflow and its definition version are in `plan`. */
export const OrchestrationInputSchema = z.object({
  schemaVersion: z.literal(1),
  /** The run id; equal to the orchestration instance id. */
  runId: z.string().min(1),
  /**
   * The run instance's nonce, made at start (see `run-instance.ts`): the run store keeps the run's
   * data under it and run tokens are bound to it. Absent in runs started before #18.
   */
  nonce: RunNonceSchema.optional(),
  /** The run's trace (see `run-trace.ts`): every activity's spans join it. Absent when telemetry was off at start. */
  trace: RunTraceSchema.optional(),
  /** The run plan pinned at start (see ARCHITECTURE.md): redeploys never change past decisions. */
  plan: RunPlanSchema,
  mode: InteractionModeSchema,
  /** How long each wait for a human reply may last, in milliseconds. */
  replyTimeoutMs: z.number().int().positive(),
  /** The initial user messages. */
  messages: z.array(z.string().min(1).max(MAX_MESSAGE_LENGTH)).min(1),
  carried: z.union([CarriedStateSchema, LegacyCarriedStateSchema]).optional(),
});
export type OrchestrationInput = z.infer<typeof OrchestrationInputSchema>;
