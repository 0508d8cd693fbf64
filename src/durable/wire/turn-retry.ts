/**
 * The retry schedule of an agent turn whose model call failed in a way a retry may fix: the
 * orchestrator waits on a durable timer and runs the turn again, so each retry is a `warning` event
 * in the run's log (a chat page can say "retrying (2/5)") and a wait can be cancelled. The activity
 * reads the same schedule to say on the console when the next attempt comes.
 */

/** Attempts of an agent turn in all (the first and four retries). */
export const TURN_ATTEMPTS = 5;

/** The wait before the first retry; each later one doubles it (2, 4, 8, 16 s). */
const FIRST_RETRY_MS = 2000;

/** The longest wait a model may ask for (`retry-after`) that a run honours. */
export const MAX_TURN_RETRY_WAIT_MS = 60 * 60 * 1000;

/**
 * The wait after failed attempt `attempt` (1-based) before the next: the backoff, or longer when
 * the model asked for longer (`askedMs`, from its `retry-after`).
 */
export function turnRetryDelayMs(attempt: number, askedMs?: number): number {
  const backoff = FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1);
  return Math.max(backoff, askedMs ?? 0);
}

/** Whether a turn whose attempt `attempt` failed is tried again (after a wait of `delayMs`). */
export function turnRetriesAfter(attempt: number, delayMs: number): boolean {
  return attempt < TURN_ATTEMPTS && delayMs <= MAX_TURN_RETRY_WAIT_MS;
}
