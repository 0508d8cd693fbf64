/**
 * One-line descriptions of the configured model for logs. They say which provider, model and
 * endpoint, and how the app authenticates, but never a key or a token.
 */
import { OPENAI_DEFAULT_BASE_URL, type ModelConfig } from './model-config';

/** The line the app logs at start-up when it falls back to the demo model. */
export const DEMO_MODEL_ANNOUNCEMENT = 'no model configured: using the offline demo model';

/**
 * Which model a configuration points at, e.g.
 * `azure-openai deployment 'gpt-4o' at https://x.openai.azure.com (Entra ID)`.
 */
export function describeModel(config: ModelConfig): string {
  switch (config.kind) {
    case 'azure-openai':
      return (
        `azure-openai deployment '${config.deployment}' at ${config.endpoint} ` +
        `(${config.apiKey === undefined ? 'Entra ID' : 'API key'})`
      );
    case 'openai-compatible': {
      const provider = config.baseUrl === OPENAI_DEFAULT_BASE_URL ? 'openai' : 'openai-compatible';
      const auth = config.apiKey === undefined ? 'no API key' : 'API key';
      return `${provider} model '${config.model}' at ${config.baseUrl} (${auth})`;
    }
    case 'demo':
      return 'offline demo model';
  }
}

/**
 * The start-up log line: the announcement of the demo model, with how to leave it, or the model in use.
 *
 * @example
 * ```ts
 * context.log(modelStartupMessage(loadModelConfig()));
 * // "no model configured: using the offline demo model (set AZURE_OPENAI_ENDPOINT and ...)"
 * ```
 */
export function modelStartupMessage(config: ModelConfig): string {
  if (config.kind === 'demo') {
    return (
      `${DEMO_MODEL_ANNOUNCEMENT} (set AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_DEPLOYMENT, or OPENAI_MODEL with ` +
      `OPENAI_BASE_URL or OPENAI_API_KEY, to use a real model)`
    );
  }
  return `model: ${describeModel(config)}, timeout ${config.timeoutMs} ms, no client-side retries`;
}
