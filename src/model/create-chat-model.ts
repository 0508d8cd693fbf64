/**
 * Builds the {@link ChatModel} a {@link ModelConfig} describes.
 */
import type { TokenCredential } from '@azure/identity';
import { AzureOpenAI, OpenAI } from 'openai';
import type { ChatModel } from '../core/model';
import { createDemoChatModel } from './demo-chat-model';
import { describeModel, modelStartupMessage } from './describe-model';
import {
  loadModelConfig,
  type AzureOpenAIModelConfig,
  type ModelConfig,
  type OpenAICompatibleModelConfig,
} from './model-config';
import { OpenAIChatModel } from './openai-chat-model';
import { createKeepAliveFetch } from './keep-alive-fetch';

/** The Entra ID scope of Azure OpenAI (Cognitive Services) data-plane calls. */
export const AZURE_OPENAI_SCOPE = 'https://cognitiveservices.azure.com/.default';

/** Options of {@link createChatModel}. */
export interface CreateChatModelOptions {
  /** The Entra ID credential for keyless Azure OpenAI; a `DefaultAzureCredential` when absent. */
  credential?: TokenCredential;
}

/**
 * The chat model for a configuration: an `OpenAI` or `AzureOpenAI` client with its own retries off
 * (`maxRetries: 0`) and `timeout: config.timeoutMs`, or the offline demo model.
 *
 * @example
 * ```ts
 * const model = createChatModel(loadModelConfig());
 * const response = await model.generate({ agentName: 'triage_agent', instructions, messages, tools });
 * ```
 */
export function createChatModel(config: ModelConfig, options: CreateChatModelOptions = {}): ChatModel {
  switch (config.kind) {
    case 'azure-openai':
      return azureOpenAIChatModel(config, options.credential);
    case 'openai-compatible':
      return openAICompatibleChatModel(config);
    case 'demo':
      return createDemoChatModel();
  }
}

/** Options of {@link loadChatModel}. */
export interface LoadChatModelOptions extends CreateChatModelOptions {
  /** The settings; `process.env` by default. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Receives the one start-up line (the demo model announcement, or which model is used). */
  log?: (line: string) => void;
}

/**
 * Reads the configuration, announces the model once through `log`, and builds it. Call it at use
 * (first activity call), not at import time.
 *
 * @throws {@link ConfigurationError} naming the setting to fix.
 * @example
 * ```ts
 * const model = loadChatModel({ log: (line) => context.log(line) });
 * ```
 */
export function loadChatModel(options: LoadChatModelOptions = {}): ChatModel {
  const config = loadModelConfig(options.env);
  options.log?.(modelStartupMessage(config));
  return createChatModel(config, options.credential === undefined ? {} : { credential: options.credential });
}

/**
 * A bearer token provider that loads `@azure/identity` on the first token request, not at start-up:
 * it is a large module, and apps with a key or another provider never need it (faster cold start).
 */
function lazyBearerTokenProvider(credential: TokenCredential | undefined): () => Promise<string> {
  let provider: Promise<() => Promise<string>> | undefined;
  return async () => {
    provider ??= import('@azure/identity').then(({ DefaultAzureCredential, getBearerTokenProvider }) =>
      getBearerTokenProvider(credential ?? new DefaultAzureCredential(), AZURE_OPENAI_SCOPE),
    );
    return (await provider)();
  };
}

function azureOpenAIChatModel(
  config: AzureOpenAIModelConfig,
  credential: TokenCredential | undefined,
): ChatModel {
  const auth =
    config.apiKey !== undefined
      ? { apiKey: config.apiKey.reveal() }
      : {
          azureADTokenProvider: lazyBearerTokenProvider(credential),
          // An explicit empty key keeps the SDK from reading AZURE_OPENAI_API_KEY behind our back.
          apiKey: '',
        };
  const client = new AzureOpenAI({
    // baseURL rather than endpoint: the SDK would otherwise also read OPENAI_BASE_URL from the environment.
    baseURL: `${config.endpoint}/openai`,
    apiVersion: config.apiVersion,
    ...auth,
    maxRetries: 0,
    timeout: config.timeoutMs,
    fetch: createKeepAliveFetch(),
  });
  return new OpenAIChatModel({
    client,
    // No `deployment` on the client: the request's model picks the deployment path, so a request
    // may name another deployment of the same resource.
    model: config.deployment,
    description: describeModel(config),
    secrets: config.apiKey === undefined ? [] : [config.apiKey.reveal()],
  });
}

function openAICompatibleChatModel(config: OpenAICompatibleModelConfig): ChatModel {
  const client = new OpenAI({
    baseURL: config.baseUrl,
    // The SDK insists on a key; local servers (Ollama, LM Studio) need none, so a placeholder satisfies
    // it and the Authorization header is then left out entirely.
    apiKey: config.apiKey?.reveal() ?? 'unused',
    ...(config.apiKey === undefined ? { defaultHeaders: { Authorization: null } } : {}),
    maxRetries: 0,
    timeout: config.timeoutMs,
    fetch: createKeepAliveFetch(),
  });
  return new OpenAIChatModel({
    client,
    model: config.model,
    description: describeModel(config),
    secrets: config.apiKey === undefined ? [] : [config.apiKey.reveal()],
  });
}
