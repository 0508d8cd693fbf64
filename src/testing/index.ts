/**
 * `durable-handoff/testing`: tools to test handoff workflows offline.
 *
 * The scripted model server is an OpenAI-compatible Chat Completions server that answers from a
 * script, so any client (this library's, the `openai` SDK, LangChain, ...) can run against it.
 * Nothing here imports a test framework.
 * @packageDocumentation
 */
export { startScriptedModelServer } from './scripted-model-server';
export type {
  ScriptedModelServer,
  ScriptedModelServerOptions,
  WaitForRequestsOptions,
} from './scripted-model-server-api';
export type {
  ScriptStep,
  ScriptReply,
  MessageReply,
  ScriptStreamOptions,
  StatusReply,
  DelayReply,
  ResetReply,
  HangReply,
  ScriptToolCall,
  ScriptResponder,
  ScriptedRequest,
  ScriptedRequestView,
  PendingStep,
  UnexpectedCall,
} from './script-types';
export type { ChatRequestBody, ChatRequestMessage } from './chat-request-schema';
export { ScriptedModelServerError } from './scripted-model-server-error';
export { AGENT_HEADER } from '../model/chat-completion-request';
