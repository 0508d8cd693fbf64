import type { HttpResponseInit } from '@azure/functions';
import type { ApiErrorBody } from '../client/api-schemas';
import type { ApiErrorCode } from '../core/errors';

/** How an {@link ApiError} answers beyond its status, code and message. */
export interface ApiErrorOptions {
  /**
   * When to try again, in whole seconds: the `Retry-After` header, and `retryAfterSeconds` in the
   * body for a page that cannot read the header.
   */
  retryAfterSeconds?: number | undefined;
}

/**
 * The one HTTP error type. Rendered as `{ "error": { "code", "message", ...details } }`; the message
 * says what to fix. Handlers throw it; `withApiErrors` renders it.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly options: ApiErrorOptions = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toResponse(): HttpResponseInit {
    const { retryAfterSeconds } = this.options;
    const retry = retryAfterSeconds !== undefined;
    return {
      status: this.status,
      jsonBody: {
        error: {
          code: this.code,
          message: this.message,
          ...(this.details ?? {}),
          ...(retry ? { retryAfterSeconds } : {}),
        },
      } satisfies ApiErrorBody,
      headers: {
        'cache-control': 'no-store',
        ...(this.status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
        ...(retry ? { 'retry-after': String(retryAfterSeconds) } : {}),
      },
    };
  }
}
