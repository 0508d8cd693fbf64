import type { Clock } from '../../contracts';

// setTimeout fires at once for delays above 2^31-1 ms (~24.8 days); longer waits are chained.
const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * The wall clock. Timers are `setTimeout`s, chained for delays longer than Node allows.
 *
 * @example
 * const engine = createDurableEngine({ invoker, store, clock: realClock(), baseUrl });
 */
export function realClock(): Clock {
  return {
    now: () => new Date(),
    schedule(at, callback) {
      let handle: NodeJS.Timeout | undefined;
      let cancelled = false;
      const arm = (): void => {
        const delay = at.getTime() - Date.now();
        if (delay <= 0) {
          handle = setTimeout(() => {
            if (!cancelled) callback();
          }, 0);
          return;
        }
        handle = setTimeout(arm, Math.min(delay, MAX_TIMEOUT_MS));
      };
      arm();
      return () => {
        cancelled = true;
        if (handle !== undefined) clearTimeout(handle);
      };
    },
  };
}
