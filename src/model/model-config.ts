/**
 * Which chat model the app uses, decided once from the app settings.
 *
 * - Azure OpenAI: `AZURE_OPENAI_ENDPOINT` + `AZURE_OPENAI_DEPLOYMENT` (+ `AZURE_OPENAI_API_VERSION`),
 *   keyless through Entra ID unless `AZURE_OPENAI_API_KEY` is set.
 * - Any OpenAI-compatible server: `OPENAI_BASE_URL` + `OPENAI_MODEL` (+ `OPENAI_API_KEY`), or OpenAI
 *   itself with `OPENAI_API_KEY` + `OPENAI_MODEL`.
 * - Nothing set: the offline demo model.
 *
 * Settings of two providers at once, or half a provider, are rejected rather than guessed at.
 */
import { ConfigurationError } from '../core/errors';
import { MODEL_SETTINGS as S, ModelSettingsSchema, type ModelSettings } from './model-settings';
import { Secret } from './secret';

/** Azure OpenAI API version used when `AZURE_OPENAI_API_VERSION` is not set (the latest GA data-plane version). */
export const DEFAULT_AZURE_OPENAI_API_VERSION = '2024-10-21';
/** Model call timeout used when `MODEL_TIMEOUT_MS` is not set. */
export const DEFAULT_MODEL_TIMEOUT_MS = 60_000;
/** Base URL used for OpenAI itself (`OPENAI_API_KEY` without `OPENAI_BASE_URL`). */
export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/** Azure OpenAI, keyless (Entra ID) unless `apiKey` is set. */
export interface AzureOpenAIModelConfig {
  kind: 'azure-openai';
  /** Resource URL without a trailing slash, e.g. `https://my-resource.openai.azure.com`. */
  endpoint: string;
  deployment: string;
  apiVersion: string;
  apiKey?: Secret;
  timeoutMs: number;
}

/** An OpenAI-compatible Chat Completions server (Ollama, vLLM, llama.cpp, LM Studio, OpenAI). */
export interface OpenAICompatibleModelConfig {
  kind: 'openai-compatible';
  /** Base URL without a trailing slash, e.g. `http://localhost:11434/v1`. */
  baseUrl: string;
  apiKey?: Secret;
  model: string;
  timeoutMs: number;
}

/** No model configured: the offline demo model. */
export interface DemoModelConfig {
  kind: 'demo';
  timeoutMs: number;
}

/** The chat model configuration. Keys are {@link Secret}s: logging the object never shows them. */
export type ModelConfig = AzureOpenAIModelConfig | OpenAICompatibleModelConfig | DemoModelConfig;

/**
 * Reads and checks the model settings. Call it at use (at start-up of the activity side), never at
 * import time.
 *
 * @param env - the settings; `process.env` by default.
 * @throws {@link ConfigurationError} naming the setting to fix when a value is malformed, a provider is
 *   half configured, or two providers are configured at once.
 * @example
 * ```ts
 * const config = loadModelConfig();
 * console.log(describeModel(config)); // "azure-openai deployment 'gpt-4o' at https://x.openai.azure.com (Entra ID)"
 * ```
 */
export function loadModelConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ModelConfig {
  const settings = parseSettings(env);
  const timeoutMs = settings[S.timeoutMs] ?? DEFAULT_MODEL_TIMEOUT_MS;
  const azureSet = setNames(settings, [S.azureEndpoint, S.azureDeployment, S.azureApiVersion, S.azureApiKey]);
  const openaiSet = setNames(settings, [S.openaiBaseUrl, S.openaiApiKey, S.openaiModel]);

  if (azureSet.length > 0 && openaiSet.length > 0) {
    throw new ConfigurationError(
      openaiSet[0]!,
      `Two model providers are configured: ${azureSet.join(', ')} (Azure OpenAI) and ${openaiSet.join(', ')} ` +
        `(OpenAI-compatible). Keep one: unset ${openaiSet.join(', ')} to use Azure OpenAI, or the AZURE_OPENAI_* ` +
        `settings to use the OpenAI-compatible server.`,
    );
  }
  if (azureSet.length > 0) return azureConfig(settings, azureSet, timeoutMs);
  if (openaiSet.length > 0) return openaiCompatibleConfig(settings, timeoutMs);
  return { kind: 'demo', timeoutMs };
}

function parseSettings(env: Readonly<Record<string, string | undefined>>): ModelSettings {
  const parsed = ModelSettingsSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const setting = String(issue.path[0] ?? 'model settings');
  throw new ConfigurationError(setting, issue.message);
}

function setNames(settings: ModelSettings, names: readonly (keyof ModelSettings)[]): string[] {
  return names.filter((name) => settings[name] !== undefined);
}

function azureConfig(settings: ModelSettings, azureSet: string[], timeoutMs: number): AzureOpenAIModelConfig {
  const endpoint = settings[S.azureEndpoint];
  const deployment = settings[S.azureDeployment];
  if (endpoint === undefined) {
    throw new ConfigurationError(
      S.azureEndpoint,
      `${azureSet.join(', ')} ${azureSet.length > 1 ? 'are' : 'is'} set but ${S.azureEndpoint} is not. Set ` +
        `${S.azureEndpoint} to your resource URL (e.g. https://my-resource.openai.azure.com), or unset ` +
        `${azureSet.join(', ')} to run without Azure OpenAI.`,
    );
  }
  if (deployment === undefined) {
    throw new ConfigurationError(
      S.azureDeployment,
      `${S.azureEndpoint} is set but ${S.azureDeployment} is not. Set ${S.azureDeployment} to the name of ` +
        `a chat model deployment in that resource (e.g. gpt-4o).`,
    );
  }
  const apiKey = settings[S.azureApiKey];
  return {
    kind: 'azure-openai',
    endpoint,
    deployment,
    apiVersion: settings[S.azureApiVersion] ?? DEFAULT_AZURE_OPENAI_API_VERSION,
    ...(apiKey !== undefined ? { apiKey: new Secret(apiKey) } : {}),
    timeoutMs,
  };
}

function openaiCompatibleConfig(settings: ModelSettings, timeoutMs: number): OpenAICompatibleModelConfig {
  const baseUrl = settings[S.openaiBaseUrl];
  const apiKey = settings[S.openaiApiKey];
  const model = settings[S.openaiModel];
  if (baseUrl === undefined && apiKey === undefined) {
    throw new ConfigurationError(
      S.openaiBaseUrl,
      `${S.openaiModel} is set but neither ${S.openaiBaseUrl} nor ${S.openaiApiKey} is. Set ${S.openaiBaseUrl} ` +
        `to an OpenAI-compatible server (e.g. http://localhost:11434/v1 for Ollama), or ${S.openaiApiKey} to ` +
        `use OpenAI itself.`,
    );
  }
  if (model === undefined) {
    const server = baseUrl === undefined ? 'OpenAI' : `the server at ${S.openaiBaseUrl}`;
    throw new ConfigurationError(
      S.openaiModel,
      `${baseUrl === undefined ? S.openaiApiKey : S.openaiBaseUrl} is set but ${S.openaiModel} is not. Set ` +
        `${S.openaiModel} to a model that ${server} serves (e.g. gpt-4o-mini, or llama3.1 for Ollama).`,
    );
  }
  return {
    kind: 'openai-compatible',
    baseUrl: baseUrl ?? OPENAI_DEFAULT_BASE_URL,
    ...(apiKey !== undefined ? { apiKey: new Secret(apiKey) } : {}),
    model,
    timeoutMs,
  };
}
