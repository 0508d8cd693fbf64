import type { HttpResponseInit } from '@azure/functions';

/** Stable error codes of the HTTP API. */
export type ApiErrorCode =
  | 'invalid_json'
  | 'invalid_request'
  | 'payload_too_large'
  | 'unauthorized'
  | 'forbidden'
  | 'workflow_not_found'
  | 'run_not_found'
  | 'run_exists'
  | 'not_awaiting_input'
  | 'stale_request'
  | 'run_finished'
  | 'not_acceptable'
  | 'configuration_error'
  | 'internal_error';

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
      jsonBody: { error: { code: this.code, message: this.message, ...(this.details ?? {}) } },
      headers: {
        'cache-control': 'no-store',
        ...(this.status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
      },
    };
  }
}
