/**
 * durable-handoff: multi-agent handoff workflows that run durably on Azure Durable Functions.
 *
 * The public API is listed here explicitly (tests/api/public-api.test.ts guards it); the HTTP client
 * alone is `durable-handoff/client`, test helpers are `durable-handoff/testing`.
 * @packageDocumentation
 */

// Defining workflows
export { agent } from './core/agent';
export type { AgentDefinition, AgentOptions } from './core/agent';
export { tool } from './core/tool';
export type { FunctionTool, ToolContext, ToolOptions } from './core/tool';
export { HandoffBuilder } from './workflows/handoff-builder';
export type { HandoffBuilderOptions } from './core/handoff-builder';
export type { HandoffWorkflow } from './core/workflow';
export { WorkflowRegistry } from './workflows/registry';
export { anyOf, allOf, maxMessages, maxUserMessages, textMentions, lastAuthorIs } from './core/termination';
export type { TerminationCondition } from './core/termination';

// Errors
export {
  DurableHandoffError,
  WorkflowDefinitionError,
  ConfigurationError,
  WorkflowInputError,
  ModelBehaviorError,
  ModelCallError,
  ToolExecutionError,
} from './core/errors';
export type { ErrorCode } from './core/errors';

// Running them in a Functions app
export { registerHandoffApp } from './app/register-handoff-app';
export { openAppTable } from './app/app-table';
export type { HandoffAppOptions } from './app/register-handoff-app';
export type { HandoffLogger } from './app/handoff-services';
export type { ChatModel, GenerateOptions, ModelRequest, ModelResponse } from './core/model';
export type { RunStore } from './durable/store/run-store';
export { startHandoffRun } from './durable/start-handoff-run';
export { sendUserReply } from './durable/send-user-reply';
export { cancelRun } from './durable/cancel-run';
export type { StartRunOptions } from './core/run-input';
export type { RunClient } from './durable/run-client';

// Calling them over HTTP, and what runs report
export { HandoffClient, HandoffApiError } from './client/index';
export type { HandoffClientOptions, RunHandle } from './client/index';
export type { WorkflowEvent, WorkflowEventType, RunState, StopReason, InteractionMode } from './core/events';
export type { AgentResponseDelta } from './core/response-delta';
export type { ConversationMessage } from './core/messages';
