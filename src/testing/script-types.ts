/**
 * The vocabulary of the scripted model server: what a script says (steps and replies) and what the
 * server records (requests and unexpected calls).
 */
import type { ChatRequestBody } from './chat-request-schema';

/** A tool call the scripted model makes. */
export interface ScriptToolCall {
  /** The tool's name; it does not have to be one the client offered (to test unknown tools). */
  name: string;
  /** An object (sent as JSON) or raw text, to inject malformed JSON. Default `{}`. */
  arguments?: Record<string, unknown> | string;
  /** The tool call id; a unique `call_...` id by default. */
  id?: string;
}

/**
 * How a message is sent to a request that asked for a stream (`stream: true`); requests that did
 * not are answered with the whole message, as always.
 */
export interface ScriptStreamOptions {
  /** Waits this long before each chunk after the first, so clients see the answer arrive in pieces. */
  chunkDelayMs?: number;
  /**
   * Breaks the connection (no `[DONE]`, no end) instead of sending the text chunk after this many:
   * a stream that breaks off mid-answer. 0 breaks it before the first text chunk.
   */
  resetAfterChunks?: number;
  /** Stops sending, the connection left open, after this many text chunks: a stream that stalls. */
  hangAfterChunks?: number;
  /** Answers with the whole message as JSON all the same: a server or proxy that does not stream. */
  whole?: boolean;
}

/** An assistant message: text, tool calls, or both. */
export interface MessageReply {
  text?: string;
  toolCalls?: readonly ScriptToolCall[];
  /** `stop` for text, `tool_calls` with tool calls by default; e.g. `content_filter` or `length`. */
  finishReason?: string;
  /** How the message is streamed when the request asks for a stream. */
  stream?: ScriptStreamOptions;
}

/** An HTTP answer other than a completion: an error status (`retry-after` in `headers`) or a raw body. */
export interface StatusReply {
  status: number;
  /** An object is sent as JSON, a string as is; an OpenAI-style error body by default. */
  body?: unknown;
  headers?: Readonly<Record<string, string>>;
}

/** Waits `delayMs`, then answers with `then`. */
export interface DelayReply {
  delayMs: number;
  then: ScriptReply;
}

/** Destroys the connection without an answer (a connection reset as the client sees it). */
export interface ResetReply {
  reset: true;
}

/** Never answers; the connection stays open until the client gives up or the server closes. */
export interface HangReply {
  hang: true;
}

/** What the scripted model answers to one request. */
export type ScriptReply = MessageReply | StatusReply | DelayReply | ResetReply | HangReply;

/** One request as the server received and recorded it. */
export interface ScriptedRequest {
  /** 1 for the first request the server received, then 2, 3... (unexpected ones included). */
  index: number;
  method: string;
  /** The path without the query string. */
  path: string;
  /** The calling agent, from the `x-durable-handoff-agent` header. */
  agent: string | undefined;
  /** The Azure OpenAI deployment, for `/openai/deployments/{deployment}/...` paths. */
  deployment: string | undefined;
  /** The `api-version` query parameter (Azure OpenAI). */
  apiVersion: string | undefined;
  /** Request headers, lower-case names (Authorization and api-key included: this is a test tool). */
  headers: Readonly<Record<string, string>>;
  /** The parsed JSON body. */
  body: ChatRequestBody;
  /** The `model` of the body, else the deployment. */
  model: string | undefined;
  stream: boolean;
  /** Names of the tools offered, in order. */
  toolNames: readonly string[];
  /** The text of the first system (or developer) message. */
  system: string | undefined;
  /** The text of the last user message. */
  lastUserText: string | undefined;
  /** When it arrived (ISO 8601). */
  receivedAt: string;
  /**
   * When the server wrote the first chunk with text of a streamed answer (ms since the epoch, with
   * sub-millisecond precision); set while the answer streams.
   */
  firstTextSentAt?: number;
  /** How it was answered: by a step (its 1-based number), by the responder, or not at all. */
  answeredBy: { kind: 'step'; step: number } | { kind: 'responder' } | { kind: 'unexpected' };
}

/** The request as a step's `match` and `reply` functions and the responder see it. */
export type ScriptedRequestView = Omit<ScriptedRequest, 'answeredBy' | 'firstTextSentAt'>;

/** One scripted step: which requests it answers, how often, and with what. */
export interface ScriptStep {
  /** Answers only this agent (the `x-durable-handoff-agent` header). */
  agent?: string;
  /** Answers only requests that offer all of these tools. */
  toolsInclude?: readonly string[];
  /** Answers only requests this returns true for (e.g. by system prompt, for clients without the header). */
  match?: (request: ScriptedRequestView) => boolean;
  /** How many requests this step answers; 1 by default. */
  times?: number;
  /** Answers any number of requests and is never reported as pending. */
  repeat?: boolean;
  /** The reply, or a function of the request that returns one. */
  reply: ScriptReply | ((request: ScriptedRequestView) => ScriptReply);
}

/**
 * Answers requests no step matched, e.g. to serve many concurrent conversations deterministically.
 * Returning `undefined` makes the request unexpected.
 */
export type ScriptResponder = (
  request: ScriptedRequestView,
) => ScriptReply | undefined | Promise<ScriptReply | undefined>;

/** A step not yet used up. */
export interface PendingStep {
  /** The step's 1-based number in the order steps were added. */
  step: number;
  /** How many more requests it expects. */
  remaining: number;
  /** e.g. `step #2 (agent shipping_agent, tools include handoff_to_refund_agent): text "Your pack…"`. */
  description: string;
}

/** A request the script could not answer, or could not even parse. */
export interface UnexpectedCall {
  /** The request's index (see {@link ScriptedRequest.index}). */
  index: number;
  agent: string | undefined;
  path: string;
  message: string;
}
