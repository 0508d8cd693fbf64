/**
 * Workflow events: what a run reports, in order.
 *
 * Naming rule (one place, applies everywhere): an event's `type` is a snake_case noun or past
 * participle, as in the current Microsoft Agent Framework (`executor_invoked`, `handoff_sent`,
 * `request_info`); its payload fields are camelCase. Executor ids follow the Agent Framework:
 * `input-conversation`, each agent's name, and `handoff-coordinator` for the routing step.
 *
 * Every event carries `seq` (1, 2, 3... per run, no gaps, no duplicates: assigned deterministically
 * by the orchestrator) and `timestamp` (the orchestration's replay-safe clock, ISO 8601).
 */
import { z } from 'zod';
import { ConversationMessageSchema } from './messages';

/** Executor id of the step that receives the initial messages. */
export const INPUT_EXECUTOR_ID = 'input-conversation';
/** Executor id of the routing step that runs after each agent turn. */
export const HANDOFF_COORDINATOR_ID = 'handoff-coordinator';

/** Where a run stands. */
export const RunStateSchema = z.enum(['running', 'awaiting_input', 'completed', 'failed', 'terminated']);
export type RunState = z.infer<typeof RunStateSchema>;

/** The states a run never leaves. */
export const FINISHED_STATES = ['completed', 'failed', 'terminated'] as const satisfies readonly RunState[];

/** True when a run in `state` will change no more (the one rule; an unknown state is not finished). */
export function isFinished(state: string): boolean {
  return (FINISHED_STATES as readonly string[]).includes(state);
}

/** Why a run ended. */
export const StopReasonSchema = z.enum([
  'terminated_by_condition',
  'reply_timeout',
  'turn_limit',
  'cancelled',
  'error',
]);
export type StopReason = z.infer<typeof StopReasonSchema>;

/** How a run talks to the human: wait for replies, or continue on its own. */
export const InteractionModeSchema = z.enum(['human_in_loop', 'autonomous']);
export type InteractionMode = z.infer<typeof InteractionModeSchema>;

const base = { seq: z.number().int().positive(), timestamp: z.string() };

export const StartedEventSchema = z.object({
  type: z.literal('started'),
  ...base,
  workflow: z.string(),
  version: z.string(),
  mode: InteractionModeSchema,
  startAgent: z.string(),
});
export const ExecutorInvokedEventSchema = z.object({
  type: z.literal('executor_invoked'),
  ...base,
  executorId: z.string(),
});
/** A turn's tokens and model calls, on its agent's `executor_completed` (the agent-turn activity writes it). */
export const TurnUsageSchema = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  modelCalls: z.number().int().nonnegative(),
});
export type TurnUsage = z.infer<typeof TurnUsageSchema>;

export const ExecutorCompletedEventSchema = z.object({
  type: z.literal('executor_completed'),
  ...base,
  executorId: z.string(),
  /** What an agent's turn used (absent for other executors, and for turns of earlier builds). */
  usage: TurnUsageSchema.optional(),
});
export const HandoffSentEventSchema = z.object({
  type: z.literal('handoff_sent'),
  ...base,
  source: z.string(),
  target: z.string(),
  reason: z.string().optional(),
});
export const AgentResponseEventSchema = z.object({
  type: z.literal('agent_response'),
  ...base,
  agent: z.string(),
  text: z.string(),
});
/**
 * What a request asks of the human: a `reply` (a message for the agent), or a `tool_approval`
 * (approve or reject one tool call before it runs).
 */
export const RequestKindSchema = z.enum(['reply', 'tool_approval']);
export type RequestKind = z.infer<typeof RequestKindSchema>;

/** The tool call a `tool_approval` request asks about: its validated arguments, as JSON. */
export const ApprovalToolSchema = z.object({
  name: z.string(),
  arguments: z.json(),
  callId: z.string(),
});
export type ApprovalTool = z.infer<typeof ApprovalToolSchema>;

/**
 * A question to the human. `kind` is `tool_approval` for an approval (then `tool` names the call);
 * a reply request reads `kind: "reply"` through the API, and is stored without `kind`, as every
 * request was before approvals existed (so runs in flight and recorded histories keep their shape).
 */
export const RequestInfoEventSchema = z.object({
  type: z.literal('request_info'),
  ...base,
  requestId: z.string(),
  agent: z.string(),
  prompt: z.string(),
  kind: RequestKindSchema.optional(),
  tool: ApprovalToolSchema.optional(),
});
export const UserMessageEventSchema = z.object({
  type: z.literal('user_message'),
  ...base,
  text: z.string(),
  requestId: z.string().optional(),
  synthetic: z.boolean().optional(),
});
/** A tool is about to run (after its approval, where it needed one): once per call. */
export const ToolCallEventSchema = z.object({
  type: z.literal('tool_call'),
  ...base,
  agent: z.string(),
  tool: z.string(),
  callId: z.string(),
  arguments: z.json(),
});
/** A tool has run: `ok` is false when it failed (its error went to the model as the result). Once per call. */
export const ToolResultEventSchema = z.object({
  type: z.literal('tool_result'),
  ...base,
  agent: z.string(),
  tool: z.string(),
  callId: z.string(),
  ok: z.boolean(),
});
/** The human's answer to a `tool_approval` request. A rejected call never runs. */
export const ToolApprovalEventSchema = z.object({
  type: z.literal('tool_approval'),
  ...base,
  requestId: z.string(),
  agent: z.string(),
  tool: z.string(),
  callId: z.string(),
  approved: z.boolean(),
  reason: z.string().optional(),
});
/**
 * Something went wrong that the run survives. `retry` is set on the warning of an agent turn whose
 * model call failed and that is tried again: `attempt` is the attempt that comes next (2 for the
 * first retry) of `of`, in `inMs` milliseconds.
 */
export const WarningEventSchema = z.object({
  type: z.literal('warning'),
  ...base,
  code: z.string(),
  message: z.string(),
  retry: z
    .object({
      attempt: z.number().int().positive(),
      of: z.number().int().positive(),
      inMs: z.number().int().nonnegative(),
    })
    .optional(),
});
export const ErrorEventSchema = z.object({
  type: z.literal('error'),
  ...base,
  code: z.string(),
  message: z.string(),
});
export const StatusEventSchema = z.object({
  type: z.literal('status'),
  ...base,
  state: RunStateSchema,
  stopReason: StopReasonSchema.optional(),
});
export const OutputEventSchema = z.object({
  type: z.literal('output'),
  ...base,
  conversation: z.array(ConversationMessageSchema),
  stopReason: StopReasonSchema,
});

/** Any workflow event. */
export const WorkflowEventSchema = z.discriminatedUnion('type', [
  StartedEventSchema,
  ExecutorInvokedEventSchema,
  ExecutorCompletedEventSchema,
  HandoffSentEventSchema,
  AgentResponseEventSchema,
  RequestInfoEventSchema,
  UserMessageEventSchema,
  ToolCallEventSchema,
  ToolResultEventSchema,
  ToolApprovalEventSchema,
  WarningEventSchema,
  ErrorEventSchema,
  StatusEventSchema,
  OutputEventSchema,
]);
export type WorkflowEvent = z.infer<typeof WorkflowEventSchema>;
export type WorkflowEventType = WorkflowEvent['type'];

/** The kind of a `request_info` event: `reply` when it is not stored (see {@link RequestInfoEventSchema}). */
export function requestKindOf(event: Pick<z.infer<typeof RequestInfoEventSchema>, 'kind'>): RequestKind {
  return event.kind ?? 'reply';
}

/** The event of type `T`. */
export type WorkflowEventOf<T extends WorkflowEventType> = Extract<WorkflowEvent, { type: T }>;

/** An event before the orchestrator numbers it. */
export type UnnumberedEvent = WorkflowEvent extends infer E
  ? E extends WorkflowEvent
    ? Omit<E, 'seq' | 'timestamp'>
    : never
  : never;
