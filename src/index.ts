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
  HTTP_API_ERROR_CODES,
} from './core/errors';
export type { ErrorCode, ModelCallErrorCode, HttpApiErrorCode, SerializedError } from './core/errors';
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
export {
  loadModelConfig,
  DEFAULT_AZURE_OPENAI_API_VERSION,
  DEFAULT_MODEL_TIMEOUT_MS,
  OPENAI_DEFAULT_BASE_URL,
} from './model/model-config';
export type {
  ModelConfig,
  AzureOpenAIModelConfig,
  OpenAICompatibleModelConfig,
  DemoModelConfig,
} from './model/model-config';
export { createChatModel, loadChatModel, AZURE_OPENAI_SCOPE } from './model/create-chat-model';
export type { CreateChatModelOptions, LoadChatModelOptions } from './model/create-chat-model';
export { OpenAIChatModel } from './model/openai-chat-model';
export type { OpenAIChatModelOptions } from './model/openai-chat-model';
export { createDemoChatModel } from './model/demo-chat-model';
export { describeModel, modelStartupMessage, DEMO_MODEL_ANNOUNCEMENT } from './model/describe-model';
export { classifyModelError } from './model/classify-model-error';
export type { ClassifyOptions } from './model/classify-model-error';
export { Secret } from './model/secret';
export { agent } from './core/agent';
export type { AgentDefinition, AgentOptions } from './core/agent';
export { tool } from './core/tool';
export type { FunctionTool, ToolContext, ToolOptions, ToolOutput } from './core/tool';
export type { JsonValue } from './core/json';
export { HandoffBuilder } from './core/handoff-builder';
export type { HandoffBuilderOptions, AddHandoffOptions } from './core/handoff-builder';
export type { HandoffWorkflow } from './core/workflow';
export type { HandoffTarget } from './core/handoff-tools';
export { handoffToolName, HANDOFF_TOOL_PARAMETERS } from './core/handoff-tools';
export { HANDOFF_TOOL_PREFIX } from './core/names';
export {
  anyOf,
  allOf,
  maxMessages,
  maxUserMessages,
  textMentions,
  lastAuthorIs,
  describeTerminationCondition,
} from './core/termination';
export type { TerminationCondition, TextMentionsOptions } from './core/termination';
export { ToolCallFilteringSchema, AutonomousSettingsSchema } from './core/options';
export type {
  ToolCallFiltering,
  InteractionModeInput,
  AutonomousSettings,
  AutonomousModeOptions,
} from './core/options';
export {
  DEFAULT_AUTONOMOUS_PROMPT,
  DEFAULT_AUTONOMOUS_TURN_LIMIT,
  DEFAULT_MAX_TURNS,
  DEFAULT_REPLY_TIMEOUT_MS,
  DEFAULT_CONTINUE_AS_NEW_EVERY,
} from './core/defaults';
export { RunPlanSchema, WorkflowDescriptionSchema } from './core/run-plan';
export type { RunPlan, WorkflowDescription } from './core/run-plan';
export { AgentTurnResultSchema, TurnDecisionSchema, TurnWarningSchema } from './core/turn-result';
export type { AgentTurnResult, TurnDecision } from './core/turn-result';
export type { TurnWarning, TurnWarningCode } from './core/routing';
export { runAgentTurn } from './model/agent-turn/run-agent-turn';
export type { AgentTurnInput } from './model/agent-turn/run-agent-turn';
export { DEFAULT_AGENT_TURN_LIMITS } from './model/agent-turn/turn-limits';
export type { AgentTurnLimits } from './model/agent-turn/turn-limits';
export { WorkflowRegistry } from './workflows/registry';
// The HTTP client: everything `durable-handoff/client` exports for browsers is exported here too.
export * from './client/index';
export { registerHandoffApp } from './app/register-handoff-app';
export type { HandoffAppOptions } from './app/register-handoff-app';
export { HANDOFF_ORCHESTRATOR } from './durable/names';
export { startHandoffRun, buildRunInput, RunIdSchema } from './durable/start-handoff-run';
export type { StartRunOptions as StartHandoffRunOptions } from './durable/start-handoff-run';
export { sendUserReply, cancelRun } from './durable/send-user-reply';
export type { RunClient } from './durable/run-client';
export type { WorkflowSource } from './durable/workflow-source';
export { createHandoffOrchestrator } from './durable/orchestrator/handoff-orchestrator';
export type { WorkflowLookup } from './durable/orchestrator/handoff-orchestrator';
export { RunOutputSchema } from './durable/wire/run-output';
export type { RunOutput } from './durable/wire/run-output';
export { RunStatusSchema } from './durable/wire/run-status';
export type { RunStatus } from './durable/wire/run-status';
