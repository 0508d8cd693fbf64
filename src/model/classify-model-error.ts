/**
 * Turns what the `openai` SDK throws into a {@link ModelCallError} with a stable code.
 *
 * Retryable: 408, 409, 429, 5xx, timeouts, connection failures. Permanent: other 4xx, content
 * filter, context length. The durable layer reads `isRetryable` (also after JSON serialization) to
 * decide between an activity retry and ending the run cleanly.
 */
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  OpenAIError,
} from 'openai';
import { ModelCallError, type ModelCallErrorCode } from '../core/errors';
import { retryAfterMs } from './retry-after';
import { redactSecrets } from './redact-secrets';

/** What the classifier may use besides the error. */
export interface ClassifyOptions {
  /** Who was called, for messages (a {@link ChatModel} description; never a secret). */
  model?: string;
  /** Secret values to scrub from server-provided text (e.g. the configured API key). */
  secrets?: readonly string[];
  /** Current time in epoch ms, to turn a `retry-after` HTTP date into a wait. */
  nowMs?: number;
}

const MAX_SERVER_MESSAGE = 500;

/**
 * Classifies an error thrown by a model call.
 *
 * @returns the typed error, or `undefined` when `error` did not come from the model call (a bug in
 *   the caller, say), which the caller should rethrow unchanged rather than disguise as a model failure.
 */
export function classifyModelError(
  error: unknown,
  options: ClassifyOptions = {},
): ModelCallError | undefined {
  if (error instanceof ModelCallError) return error;
  const model = options.model ?? 'the model';
  const scrub = (text: string): string => redactSecrets(text, options.secrets ?? []);

  if (error instanceof APIUserAbortError) {
    return new ModelCallError(
      'timeout',
      `The call to ${model} was aborted by the caller before it answered.`,
      {
        cause: error,
      },
    );
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new ModelCallError(
      'timeout',
      `The call to ${model} timed out (no answer within MODEL_TIMEOUT_MS). It will be retried.`,
      { cause: error },
    );
  }
  if (error instanceof APIConnectionError) {
    const reason = error.cause instanceof Error ? `: ${scrub(error.cause.message)}` : '';
    return new ModelCallError('connection_error', `Could not reach ${model}${reason}.`, { cause: error });
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    return classifyStatus(error as APIError<number>, model, scrub, options.nowMs);
  }
  if (
    error instanceof OpenAIError &&
    /^(Failed to get token|Expected 'apiKey' function)/.test(error.message)
  ) {
    // The SDK wraps failures of the Entra ID token provider this way; retrying will not fix a
    // missing identity or role, so this is permanent.
    return new ModelCallError(
      'authentication',
      `Could not get a Microsoft Entra ID token for ${model}: ${scrub(error.message)}. Check that the app's ` +
        `identity can sign in (az login locally, a managed identity in Azure), or set AZURE_OPENAI_API_KEY.`,
      { cause: error },
    );
  }
  return undefined;
}

function classifyStatus(
  error: APIError<number>,
  model: string,
  scrub: (text: string) => string,
  nowMs: number | undefined,
): ModelCallError {
  const status = error.status;
  const detail = truncate(scrub(serverMessage(error))).replace(/[.\s]+$/, '');
  const said = `${model} answered HTTP ${status}${detail === '' ? '' : `: ${detail}`}`;
  const make = (code: ModelCallErrorCode, hint: string, retryAfter?: number): ModelCallError =>
    new ModelCallError(code, `${said}. ${hint}`.trimEnd(), {
      statusCode: status,
      ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}),
      cause: error,
    });
  const wait = retryAfterMs(error.headers, nowMs);

  if (isContentFilter(error)) {
    return make('content_filter', 'The content filter blocked the request; rephrase the input.');
  }
  if (isContextLength(error, detail)) {
    return make(
      'context_length_exceeded',
      'The conversation is longer than the model accepts; shorten it or use a model with a larger context.',
    );
  }
  if (status === 408) return make('timeout', 'It will be retried.', wait);
  if (status === 409) return make('conflict', 'It will be retried.', wait);
  if (status === 429 && error.code === 'insufficient_quota') {
    return make(
      'permission_denied',
      'The account has no quota left; retrying will not help until it is raised.',
    );
  }
  if (status === 429)
    return make('rate_limited', 'It will be retried after the wait the server asked for.', wait);
  if (status >= 500) return make('server_error', 'It will be retried.', wait);
  if (status === 401) {
    return make(
      'authentication',
      'Check the API key setting (AZURE_OPENAI_API_KEY or OPENAI_API_KEY) or the Entra ID sign-in.',
    );
  }
  if (status === 403) {
    return make(
      'permission_denied',
      "The caller may not use this model; with Entra ID, grant the 'Cognitive Services OpenAI User' role.",
    );
  }
  if (status === 404) {
    return make(
      'not_found',
      'Check the model or deployment name (OPENAI_MODEL or AZURE_OPENAI_DEPLOYMENT) and the API version.',
    );
  }
  return make('bad_request', 'The request was rejected; retrying it unchanged will not help.');
}

function serverMessage(error: APIError): string {
  const message = field(error.error, 'message');
  if (typeof message === 'string') return message;
  return error.message.replace(/^\d{3}\s*/, '');
}

function isContentFilter(error: APIError): boolean {
  return (
    error.code === 'content_filter' ||
    error.code === 'content_policy_violation' ||
    field(field(error.error, 'innererror'), 'code') === 'ResponsibleAIPolicyViolation'
  );
}

/** A property of a JSON value that may not be an object at all (error bodies vary by server). */
function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function isContextLength(error: APIError, detail: string): boolean {
  if (error.code === 'context_length_exceeded') return true;
  return (
    (error.status === 400 || error.status === 413 || error.status === 422) &&
    /maximum context length|context (length|size|window)|too many tokens/i.test(detail)
  );
}

function truncate(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= MAX_SERVER_MESSAGE ? oneLine : `${oneLine.slice(0, MAX_SERVER_MESSAGE)}…`;
}
