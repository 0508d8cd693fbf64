/**
 * {@link ChatModel} over the Chat Completions API of the `openai` package: OpenAI, Azure OpenAI
 * (an `AzureOpenAI` client) and any OpenAI-compatible server.
 */
import { randomUUID } from 'node:crypto';
import type { OpenAI } from 'openai';
import type { ChatModel, ModelRequest, ModelResponse } from '../core/model';
import { AGENT_HEADER, agentHeaderValue, toChatCompletionParams } from './chat-completion-request';
import { fromChatCompletion } from './chat-completion-response';
import { classifyModelError } from './classify-model-error';

/** What an {@link OpenAIChatModel} is built from. */
export interface OpenAIChatModelOptions {
  /** A configured client (`OpenAI` or `AzureOpenAI`); build it with `maxRetries: 0`. */
  client: OpenAI;
  /** The model (for Azure OpenAI, the deployment) used when a request names none. */
  model: string;
  /** Description for logs and error messages; never a secret. */
  description: string;
  /** Secret values to scrub from server error messages (e.g. the API key). */
  secrets?: readonly string[];
}

/**
 * A chat model behind an `openai` client. Failed calls throw a classified {@link ModelCallError};
 * nothing is retried here (the request also forces `maxRetries: 0`), because retries belong to the
 * durable layer, where they are visible.
 */
export class OpenAIChatModel implements ChatModel {
  readonly description: string;
  readonly #client: OpenAI;
  readonly #model: string;
  readonly #secrets: readonly string[];

  constructor(options: OpenAIChatModelOptions) {
    this.#client = options.client;
    this.#model = options.model;
    this.description = options.description;
    this.#secrets = options.secrets ?? [];
  }

  /** Sends one Chat Completions request and returns the assistant message, tool calls intact. */
  async generate(request: ModelRequest, options?: { signal?: AbortSignal }): Promise<ModelResponse> {
    const params = toChatCompletionParams(request, this.#model);
    let body: unknown;
    try {
      body = await this.#client.chat.completions.create(params, {
        headers: { [AGENT_HEADER]: agentHeaderValue(request.agentName) },
        maxRetries: 0,
        ...(options?.signal !== undefined ? { signal: options.signal } : {}),
      });
    } catch (error) {
      throw (
        classifyModelError(error, { model: this.description, secrets: this.#secrets, nowMs: Date.now() }) ??
        error
      );
    }
    return fromChatCompletion(body, request.agentName, this.description, `chatcmpl-local-${randomUUID()}`);
  }
}
