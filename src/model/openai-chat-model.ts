/**
 * {@link ChatModel} over the Chat Completions API of the `openai` package: OpenAI, Azure OpenAI
 * (an `AzureOpenAI` client) and any OpenAI-compatible server.
 */
import { randomUUID } from 'node:crypto';
import { APIError, type OpenAI } from 'openai';
import type { ChatModel, GenerateOptions, ModelRequest, ModelResponse } from '../core/model';
import { AGENT_HEADER, agentHeaderValue, toChatCompletionParams } from './chat-completion-request';
import { fromChatCompletion, fromCompletionBody } from './chat-completion-response';
import { classifyModelError } from './classify-model-error';
import { redactSecrets } from './redact-secrets';
import { readCompletionBody, type CompletionBody } from './streamed-completion';

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
 *
 * Given `onTextDelta`, a call asks for a stream (`stream: true` with
 * `stream_options.include_usage`) and assembles it into the same response a whole answer gives. A
 * server that refuses the streaming parameters (HTTP 400 naming them) is asked for whole answers
 * from then on.
 */
export class OpenAIChatModel implements ChatModel {
  readonly description: string;
  readonly #client: OpenAI;
  readonly #model: string;
  readonly #secrets: readonly string[];
  #streams = true;

  constructor(options: OpenAIChatModelOptions) {
    this.#client = options.client;
    this.#model = options.model;
    this.description = options.description;
    this.#secrets = options.secrets ?? [];
  }

  /** Sends one Chat Completions request and returns the assistant message, tool calls intact. */
  async generate(request: ModelRequest, options: GenerateOptions = {}): Promise<ModelResponse> {
    const { onTextDelta, signal } = options;
    if (onTextDelta === undefined || !this.#streams) return this.#whole(request, signal);
    return this.#streamed(request, onTextDelta, signal);
  }

  async #whole(request: ModelRequest, signal: AbortSignal | undefined): Promise<ModelResponse> {
    let body: unknown;
    try {
      body = await this.#client.chat.completions.create(toChatCompletionParams(request, this.#model), {
        headers: { [AGENT_HEADER]: agentHeaderValue(request.agentName) },
        maxRetries: 0,
        ...(signal !== undefined ? { signal } : {}),
      });
    } catch (error) {
      throw this.#classified(error);
    }
    return this.#response({ json: body }, request);
  }

  async #streamed(
    request: ModelRequest,
    onTextDelta: (delta: string) => void,
    signal: AbortSignal | undefined,
  ): Promise<ModelResponse> {
    // One controller for the exchange: the caller's abort and the stream's idle timeout both end it.
    const abort = new AbortController();
    const onAbort = () => abort.abort(signal?.reason);
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      let response: Response;
      try {
        response = await this.#client.chat.completions
          .create(
            {
              ...toChatCompletionParams(request, this.#model),
              stream: true,
              stream_options: { include_usage: true },
            },
            {
              headers: { [AGENT_HEADER]: agentHeaderValue(request.agentName) },
              maxRetries: 0,
              signal: abort.signal,
            },
          )
          .asResponse();
      } catch (error) {
        if (!refusesStreaming(error)) throw this.#classified(error);
        this.#streams = false;
        return await this.#whole(request, signal);
      }
      const body = await readCompletionBody(response, {
        model: this.description,
        onTextDelta,
        idleTimeoutMs: this.#client.timeout,
        abort,
        signal,
        scrub: (text) => redactSecrets(text, this.#secrets),
      });
      return this.#response(body, request);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  #response(body: CompletionBody, request: ModelRequest): ModelResponse {
    const fallbackId = `chatcmpl-local-${randomUUID()}`;
    return 'checked' in body
      ? fromCompletionBody(body.checked, request.agentName, this.description, fallbackId)
      : fromChatCompletion(body.json, request.agentName, this.description, fallbackId);
  }

  #classified(error: unknown): unknown {
    return (
      classifyModelError(error, { model: this.description, secrets: this.#secrets, nowMs: Date.now() }) ??
      error
    );
  }
}

/** A 400 (or 422) that names the streaming parameters: a server that cannot stream. */
function refusesStreaming(error: unknown): boolean {
  return (
    error instanceof APIError &&
    (error.status === 400 || error.status === 422) &&
    /\bstream(_options)?\b/i.test(`${error.message} ${JSON.stringify(error.error ?? null)}`)
  );
}
