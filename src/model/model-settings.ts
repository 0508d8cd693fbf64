/**
 * The app settings (environment variables) that choose and configure the chat model, and the zod
 * schema that checks each one on its own. Which combination is valid is decided in
 * `model-config.ts`; this file only knows what a well-formed value of each setting looks like.
 *
 * Error messages never repeat the value of a key, and never the value of a URL setting either:
 * a key pasted into the wrong variable is the classic way secrets end up in logs.
 */
import { z } from 'zod';

/** Names of the settings, so messages and code cannot drift apart. */
export const MODEL_SETTINGS = {
  azureEndpoint: 'AZURE_OPENAI_ENDPOINT',
  azureDeployment: 'AZURE_OPENAI_DEPLOYMENT',
  azureApiVersion: 'AZURE_OPENAI_API_VERSION',
  azureApiKey: 'AZURE_OPENAI_API_KEY',
  openaiBaseUrl: 'OPENAI_BASE_URL',
  openaiApiKey: 'OPENAI_API_KEY',
  openaiModel: 'OPENAI_MODEL',
  timeoutMs: 'MODEL_TIMEOUT_MS',
} as const;

/** Longest model call timeout accepted, in milliseconds (one hour). */
export const MAX_MODEL_TIMEOUT_MS = 3_600_000;

const S = MODEL_SETTINGS;

/** Unset, empty and whitespace-only values all mean "not set" (local.settings.json often holds ""). */
function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => {
    if (typeof value !== 'string') return value;
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }, schema.optional());
}

function httpUrl(name: string, example: string) {
  const shape = `${name} must be an http(s) URL such as ${example}`;
  return z
    .string()
    .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
      error: `${shape}; the value set is not one (it is not repeated here in case it is a secret).`,
      abort: true,
    })
    .refine(
      (value) => {
        const url = new URL(value);
        return url.username === '' && url.password === '' && url.search === '' && url.hash === '';
      },
      {
        error: `${shape}, without user:password, query string or fragment; put keys in the *_API_KEY setting instead.`,
      },
    )
    .transform((value) => value.replace(/\/+$/, ''));
}

/** The model settings, each checked on its own. */
export const ModelSettingsSchema = z.object({
  [S.azureEndpoint]: optional(
    httpUrl(S.azureEndpoint, 'https://my-resource.openai.azure.com').refine(
      (value) => !/\/openai(\/|$)/i.test(new URL(value).pathname),
      {
        error:
          `${S.azureEndpoint} must be the resource URL (e.g. https://my-resource.openai.azure.com) without ` +
          `'/openai/...': the client adds that path, and the deployment goes in ${S.azureDeployment}.`,
      },
    ),
  ),
  [S.azureDeployment]: optional(
    z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, {
      error: (issue) =>
        `${S.azureDeployment} must be a deployment name of 1 to 64 letters, digits, '.', '_' or '-'; ` +
        `got '${String(issue.input)}'.`,
    }),
  ),
  [S.azureApiVersion]: optional(
    z.string().regex(/^[A-Za-z0-9.-]{1,40}$/, {
      error: (issue) =>
        `${S.azureApiVersion} must be an Azure OpenAI API version such as 2024-10-21 or ` +
        `2025-04-01-preview; got '${String(issue.input)}'.`,
    }),
  ),
  [S.azureApiKey]: optional(z.string()),
  [S.openaiBaseUrl]: optional(httpUrl(S.openaiBaseUrl, 'http://localhost:11434/v1')),
  [S.openaiApiKey]: optional(z.string()),
  [S.openaiModel]: optional(
    z.string().max(256, { error: `${S.openaiModel} must be at most 256 characters.` }),
  ),
  [S.timeoutMs]: optional(
    z
      .string()
      .regex(/^\d{1,10}$/, {
        error: (issue) =>
          `${S.timeoutMs} must be a whole number of milliseconds between 1 and ${MAX_MODEL_TIMEOUT_MS}; ` +
          `got '${String(issue.input)}'.`,
      })
      .transform(Number)
      .refine((ms) => ms >= 1 && ms <= MAX_MODEL_TIMEOUT_MS, {
        error: (issue) =>
          `${S.timeoutMs} must be between 1 and ${MAX_MODEL_TIMEOUT_MS} milliseconds; got ${String(issue.input)}.`,
      }),
  ),
});

/** The model settings after per-setting validation: trimmed, empty ones absent. */
export type ModelSettings = z.infer<typeof ModelSettingsSchema>;
