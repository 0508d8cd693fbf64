import { z } from 'zod';
import { InteractionModeSchema, WorkflowEventSchema } from '../../core/events';
import { TranscriptMessageSchema } from '../../core/messages';
import { TokenUsageSchema } from '../../core/model';
import { RunPlanSchema } from '../../core/run-plan';
import { MAX_MESSAGE_LENGTH } from '../../core/run-input';

/**
 * What a generation of the orchestrator carries over a `continueAsNew`: the run's state, so the new
 * generation continues exactly where the previous one stopped — counters, not the conversation,
 * which stays in the run store, so a long conversation does not make every generation heavier. It is
 * only ever written at the top of the loop, before an agent turn, never while a reply is awaited.
 */
export const CarriedStateSchema = z.object({
  schemaVersion: z.literal(2),
  generation: z.number().int().positive(),
  /** How many messages the transcript has (the run store holds them, but for `unsaved`). */
  messageCount: z.number().int().nonnegative(),
  /** The last messages of the transcript, not yet in the run store (user input since the last turn). */
  unsaved: z.array(TranscriptMessageSchema),
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

/** The input of the handoff orchestrator. The workflow and its definition version are in `plan`. */
export const OrchestrationInputSchema = z.object({
  schemaVersion: z.literal(1),
  /** The run id; equal to the orchestration instance id. */
  runId: z.string().min(1),
  /** The run plan pinned at start (see ARCHITECTURE.md): redeploys never change past decisions. */
  plan: RunPlanSchema,
  mode: InteractionModeSchema,
  /** How long each wait for a human reply may last, in milliseconds. */
  replyTimeoutMs: z.number().int().positive(),
  /** The initial user messages. */
  messages: z.array(z.string().min(1).max(MAX_MESSAGE_LENGTH)).min(1),
  carried: CarriedStateSchema.optional(),
});
export type OrchestrationInput = z.infer<typeof OrchestrationInputSchema>;
