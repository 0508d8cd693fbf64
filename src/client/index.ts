/**
 * `durable-handoff/client`: the HTTP client alone, for browsers and services that only call the API
 * (it imports zod and the pure core, not the model clients or Azure packages).
 * @packageDocumentation
 */
export { HandoffClient } from './handoff-client';
export type { CallOptions, StartRunOptions, StartAndStreamOptions, RunStream } from './handoff-client';
export type { HandoffClientOptions } from './client-options';
export type { FetchFunction } from './api-transport';
export type { FollowRunOptions } from './follow-run';
export type { ReconnectOptions } from './reconnect-policy';
export type { RunRef } from './run-ref';
export type { RunEventsPage } from './events-page';
export { HandoffApiError } from './handoff-api-error';
export type { HandoffApiErrorOptions } from './handoff-api-error';
export {
  RunHandleSchema,
  RunStatusResponseSchema,
  RespondResponseSchema,
  TerminateResponseSchema,
  PendingRequestSchema,
  ApiConversationMessageSchema,
} from './api-schemas';
export type {
  RunHandle,
  RunStatusResponse,
  RespondResponse,
  TerminateResponse,
  PendingRequest,
  ApiConversationMessage,
} from './api-schemas';
export { SseParser } from './sse-parser';
export type { SseMessage } from './sse-parser';
export { WorkflowEventSchema } from '../core/events';
export type { WorkflowEvent, WorkflowEventType, RunState, StopReason, InteractionMode } from '../core/events';
