/**
 * The seam to model providers: one small interface, {@link ChatModel}.
 *
 * The pure core only describes requests and responses; implementations (OpenAI-compatible servers,
 * Azure OpenAI, the offline demo model) live in `src/model/` and do the I/O.
 */
import { z } from 'zod';
import type { AssistantMessage, TranscriptMessage } from './messages';

/** A function the model may call, described for the provider (`parameters` is a JSON Schema object). */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** One request to a chat model, provider-neutral. */
export interface ModelRequest {
  /** The agent making the call (its name). Providers may send it as a header for tracing and test servers. */
  agentName: string;
  /** The agent's instructions (sent as the system message). */
  instructions: string;
  /** The messages the agent sees, oldest first. */
  messages: readonly TranscriptMessage[];
  /** Tools offered on this call: handoff tools and the agent's own tools. */
  tools: readonly ToolSpec[];
  /** False disables parallel tool calls (always false when handoff tools are offered). */
  parallelToolCalls?: boolean;
  /** A model or deployment name overriding the client's default. */
  model?: string;
}

/** Token counts of one or more model calls. */
export const TokenUsageSchema = z.object({
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  totalTokens: z.number().int().nonnegative(),
  requests: z.number().int().nonnegative(),
});
export type TokenUsage = z.infer<typeof TokenUsageSchema>;

/** Usage of nothing; the identity of {@link addUsage}. */
export const ZERO_USAGE: TokenUsage = Object.freeze({
  promptTokens: 0,
  completionTokens: 0,
  totalTokens: 0,
  requests: 0,
});

/** Sums two usages. */
export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    totalTokens: a.totalTokens + b.totalTokens,
    requests: a.requests + b.requests,
  };
}

/** One model response: the assistant message (its `authorName` is the requesting agent) and usage. */
export interface ModelResponse {
  /** The provider's completion id. */
  id: string;
  message: AssistantMessage;
  usage: TokenUsage;
  /** The provider's finish reason (`stop`, `tool_calls`, `length`, `content_filter`...). */
  finishReason: string;
}

/** Options of one {@link ChatModel.generate} call. */
export interface GenerateOptions {
  /** Aborts the call. */
  signal?: AbortSignal;
  /**
   * Receives the answer's text as the model writes it, piece by piece (the pieces concatenate to
   * the returned message's text). Given it, a model that can stream does; the returned response is
   * the same either way. A model that cannot stream never calls it.
   */
  onTextDelta?: (delta: string) => void;
}

/**
 * A chat model. Implementations throw {@link ModelCallError} for failed calls (classified as
 * retryable or permanent) and never retry on their own: retrying is the durable layer's job.
 */
export interface ChatModel {
  /** A human-readable description for logs, e.g. `azure-openai:gpt-4o (https://x.openai.azure.com)`; never a secret. */
  readonly description: string;
  /** Sends one request and returns the model's message. */
  generate(request: ModelRequest, options?: GenerateOptions): Promise<ModelResponse>;
}
