import { DurableHandoffError, type SerializedError } from '../../core/errors';

/** What an activity does with an error: throw it (Durable retries) or return it (the run ends cleanly). */
export type ActivityErrorDisposition =
  { retry: true; code: string; message: string } | { retry: false; error: SerializedError };

function statusCodeOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

function isTransientStorageError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  const status = statusCodeOf(error);
  if (name === 'RestError') return status === undefined || status === 408 || status === 429 || status >= 500;
  return (
    typeof code === 'string' &&
    ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN'].includes(code)
  );
}

/**
 * Retryable model errors and transient storage errors are thrown so that Durable's retry policy
 * handles them; everything else is permanent and is returned, so the run ends with
 * `stopReason: "error"` instead of burning attempts on something a retry cannot fix.
 */
export function classifyActivityError(error: unknown): ActivityErrorDisposition {
  if (DurableHandoffError.isInstance(error)) {
    return error.isRetryable
      ? { retry: true, code: error.code, message: error.message }
      : { retry: false, error: error.toJSON() };
  }
  const message =
    typeof (error as { message?: unknown } | null)?.message === 'string'
      ? (error as Error).message
      : String(error);
  if (isTransientStorageError(error))
    return { retry: true, code: 'storage_unavailable', message: `Storage call failed: ${message}` };
  return {
    retry: false,
    error: { marker: 'durable-handoff.error', name: 'Error', code: 'internal', message, isRetryable: false },
  };
}

/**
 * For activities a run cannot go on without (storing its events): every failure is worth a retry,
 * under its own code when it has one, else as `storage_unavailable`.
 */
export function alwaysRetryable(error: unknown): { code: string; message: string } {
  const disposition = classifyActivityError(error);
  return disposition.retry
    ? { code: disposition.code, message: disposition.message }
    : { code: 'storage_unavailable', message: disposition.error.message };
}
