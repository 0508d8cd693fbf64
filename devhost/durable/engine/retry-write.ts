/**
 * Retries a storage write a few times with growing delays (wall time), so a storage hiccup does
 * not strand an activity result or a fired timer until the next restart.
 */
import { DevhostError } from '../../errors';

/** Options of {@link retryWrite}. */
export interface RetryWriteOptions {
  attempts?: number;
  firstDelayMs?: number;
  /** Stops retrying (and rethrows) once this returns false, e.g. after the engine stopped. */
  shouldRetry?: () => boolean;
}

/** Runs `write`; on failure waits 100 ms, 200 ms, 400 ms... and tries again, `attempts` times in all. */
export async function retryWrite<T>(write: () => Promise<T>, options: RetryWriteOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  let delay = options.firstDelayMs ?? 100;
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      const stopped = error instanceof DevhostError && error.code === 'engine_stopped';
      if (stopped || attempt >= attempts || !(options.shouldRetry?.() ?? true)) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay *= 2;
    }
  }
}
