/**
 * durable-handoff: multi-agent handoff workflows that run durably on Azure Durable Functions.
 *
 * The public API is listed here explicitly; test helpers live under `durable-handoff/testing`.
 * @packageDocumentation
 */
export {
  DurableHandoffError,
  WorkflowDefinitionError,
  ConfigurationError,
  WorkflowInputError,
  ModelBehaviorError,
  ModelCallError,
  ToolExecutionError,
  errorFromJSON,
  isSerializedError,
  isRetryableModelCode,
} from './core/errors';
export type { ErrorCode, ModelCallErrorCode, SerializedError } from './core/errors';
export {
  ToolCallSchema,
  UserMessageSchema,
  AssistantMessageSchema,
  ToolResultMessageSchema,
  TranscriptMessageSchema,
  ConversationMessageSchema,
  toConversation,
  USER_AUTHOR,
} from './core/messages';
export type {
  ToolCall,
  UserMessage,
  AssistantMessage,
  ToolResultMessage,
  TranscriptMessage,
  ConversationMessage,
} from './core/messages';
export {
  WorkflowEventSchema,
  RunStateSchema,
  StopReasonSchema,
  InteractionModeSchema,
  INPUT_EXECUTOR_ID,
  HANDOFF_COORDINATOR_ID,
} from './core/events';
export type {
  WorkflowEvent,
  WorkflowEventType,
  WorkflowEventOf,
  RunState,
  StopReason,
  InteractionMode,
} from './core/events';
export { addUsage, ZERO_USAGE, TokenUsageSchema } from './core/model';
export type { ChatModel, ModelRequest, ModelResponse, ToolSpec, TokenUsage } from './core/model';
