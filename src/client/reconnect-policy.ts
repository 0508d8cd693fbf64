import { z } from 'zod';
import { WorkflowInputError } from '../core/errors';
import { formatIssues } from '../core/zod-issues';

/** How `runStream` reconnects after a dropped connection or a retryable error answer. */
export interface ReconnectOptions {
  /** Failed connection attempts in a row before giving up (default 5). An event delivered resets the count. */
  maxAttempts?: number;
  /** Wait before the first reconnection attempt, in ms (default 500); it doubles on each failure. */
  initialDelayMs?: number;
  /** The longest wait between attempts, in ms (default 8000). */
  maxDelayMs?: number;
}

const ReconnectOptionsSchema = z.strictObject({
  maxAttempts: z.number().int().min(1).max(1000).default(5),
  initialDelayMs: z.number().int().min(0).max(600_000).default(500),
  maxDelayMs: z.number().int().min(0).max(600_000).default(8000),
});

/** {@link ReconnectOptions} with every default applied. */
export type ReconnectPolicy = Required<ReconnectOptions>;

/** Checks the options and applies the defaults. */
export function reconnectPolicy(options: ReconnectOptions = {}): ReconnectPolicy {
  const parsed = ReconnectOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new WorkflowInputError(`${formatIssues('runStream reconnect options are invalid', parsed.error)}.`);
  }
  return parsed.data;
}

/** The wait before reconnection attempt `attempt` (1 for the first retry): exponential, capped. */
export function reconnectDelay(policy: ReconnectPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempt - 1));
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
