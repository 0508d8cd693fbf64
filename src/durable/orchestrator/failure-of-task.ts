import { parseRetryableFailure } from '../wire/retryable-failure';

/** Attempts of an agent turn or run sync before the run gives up on it (Durable's retry policy). */
export const ACTIVITY_ATTEMPTS = 5;

/**
 * The code and message of an agent turn that failed on every attempt, from what durable-functions
 * hands the orchestrator (an Error whose message embeds the activity's `[code] message`).
 */
export function failureOfTask(error: unknown): { code: string; message: string } {
  const text =
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string'
      ? (error as { message: string }).message
      : String(error);
  const { code, message } = parseRetryableFailure(text);
  return {
    code,
    message: `The agent turn failed on every attempt (${ACTIVITY_ATTEMPTS}). Last error: ${message}`,
  };
}
