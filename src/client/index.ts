/**
 * `durable-handoff/client`: the HTTP client alone, for browsers and services that only call the API
 * (it imports zod and the pure core, not the model clients or Azure packages).
 * @packageDocumentation
 */
export { HandoffClient } from './handoff-client';
export type { CallOptions, StartAndStreamOptions, RunStream } from './handoff-client';
export type { StartRunOptions } from '../core/run-input';
export type { HandoffClientOptions } from './client-options';
export type { FetchFunction } from './api-transport';
export type { FollowRunOptions, ConnectionState, RunStreamItem } from './follow-run';
export type { AgentResponseDelta } from '../core/response-delta';
export type { ReconnectOptions } from './reconnect-policy';
export type { RunRef } from './run-ref';
export type { RunEventsPage } from './events-page';
export { HandoffApiError } from './handoff-api-error';
export type { HttpApiErrorCode } from '../core/errors';
export type {
  RunHandle,
  RunStatusResponse,
  RespondResponse,
  TerminateResponse,
  PendingRequest,
  ApprovalAnswer,
} from './api-schemas';
export { isFinished } from '../core/events';
export { runTimeline } from '../core/run-timeline';
export type { RunTimeline, TimelineEntry } from '../core/run-timeline';
export type {
  WorkflowEvent,
  WorkflowEventType,
  WorkflowEventOf,
  RunState,
  StopReason,
  InteractionMode,
  RequestKind,
  ApprovalTool,
} from '../core/events';
export type { ConversationMessage } from '../core/messages';
export type { WorkflowDescription } from '../core/run-plan';
