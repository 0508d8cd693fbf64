import type { HttpResponseInit } from '@azure/functions';
import type { ApiErrorBody } from '../client/api-schemas';
import type { ApiErrorCode } from '../core/errors';

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
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toResponse(): HttpResponseInit {
    return {
      status: this.status,
      jsonBody: {
        error: { code: this.code, message: this.message, ...(this.details ?? {}) },
      } satisfies ApiErrorBody,
      headers: {
        'cache-control': 'no-store',
        ...(this.status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
      },
    };
  }
}
