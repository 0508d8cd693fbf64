/**
 * The HTTP API's answers as the client reads them: zod schemas (the server is an external input)
 * and the types inferred from them. Unknown fields are dropped, so a newer server does not break
 * an older client.
 */
import { z } from 'zod';
import { ApprovalToolSchema, RequestKindSchema, RunStateSchema, StopReasonSchema } from '../core/events';
import { ConversationMessageSchema } from '../core/messages';
import { WorkflowDescriptionSchema } from '../core/run-plan';
import { RunTimelineSchema } from '../core/run-timeline';

/** `GET /api/workflows`. */
export const WorkflowListSchema = z.object({ workflows: z.array(WorkflowDescriptionSchema) });
/** See {@link WorkflowListSchema}. */
export type WorkflowList = z.infer<typeof WorkflowListSchema>;

/** Every error answer: `{ "error": { "code", "message", ...details } }` (details such as `state`). */
export const ApiErrorBodySchema = z.object({
  error: z.looseObject({ code: z.string(), message: z.string() }),
});
/** See {@link ApiErrorBodySchema}. */
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>;

/** `POST /api/workflows/{name}/run` (202): the run's id, its access token and its URLs. */
export const RunHandleSchema = z.object({
  runId: z.string().min(1),
  workflow: z.string().min(1),
  token: z.string().min(1),
  statusUri: z.string(),
  eventsUri: z.string(),
  respondUri: z.string(),
  terminateUri: z.string(),
});
/** A started run: pass it to every run-scoped call of {@link HandoffClient}. */
export type RunHandle = z.infer<typeof RunHandleSchema>;

/**
 * The open question of a run waiting for the human: a `reply` (answer with a message) or a
 * `tool_approval` (approve or reject the call in `tool`; its arguments are cut to the start of their
 * JSON, as a string ending in '…', past 8 000 characters: the `request_info` event has them whole).
 */
export const PendingRequestSchema = z.object({
  requestId: z.string(),
  agent: z.string(),
  prompt: z.string(),
  /** Servers before approvals existed send no kind: their requests are replies. */
  kind: RequestKindSchema.default('reply'),
  tool: ApprovalToolSchema.optional(),
});
/** See {@link PendingRequestSchema}. */
export type PendingRequest = z.infer<typeof PendingRequestSchema>;

/** What the human answers to a `tool_approval` request. */
export interface ApprovalAnswer {
  approved: boolean;
  /** Why (the model reads it when the call is rejected). */
  reason?: string;
}

/** `GET /api/workflows/{name}/status/{runId}`. */
export const RunStatusResponseSchema = z.object({
  runId: z.string(),
  workflow: z.string(),
  state: RunStateSchema,
  activeAgent: z.string(),
  turn: z.number().int().nonnegative(),
  pendingRequest: PendingRequestSchema.nullable(),
  /** The clean conversation so far, as the `output` event carries it at the end. */
  conversation: z.array(ConversationMessageSchema),
  stopReason: StopReasonSchema.optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  /** With `?timeline=true`: the run's timeline, built from its events. */
  timeline: RunTimelineSchema.optional(),
});
/** See {@link RunStatusResponseSchema}. */
export type RunStatusResponse = z.infer<typeof RunStatusResponseSchema>;

/** `POST /api/workflows/{name}/respond/{runId}` (202). */
export const RespondResponseSchema = z.object({
  runId: z.string(),
  requestId: z.string(),
  replyId: z.string(),
});
/** See {@link RespondResponseSchema}. */
export type RespondResponse = z.infer<typeof RespondResponseSchema>;

/** `POST /api/workflows/{name}/terminate/{runId}` (202): the state the run was in when asked to stop. */
export const TerminateResponseSchema = z.object({ runId: z.string(), state: RunStateSchema });
/** See {@link TerminateResponseSchema}. */
export type TerminateResponse = z.infer<typeof TerminateResponseSchema>;

/** `GET /api/workflows/{name}/events/{runId}` as JSON, before its events are parsed one by one. */
export const RawEventsPageSchema = z.object({ events: z.array(z.unknown()), state: RunStateSchema });
