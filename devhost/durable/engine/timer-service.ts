/**
 * Durable timers on the engine's clock. A timer that falls due stores a TimerFired message (with
 * a deterministic id) for its instance; timers are armed again from history after a restart, and
 * overdue ones fire at once.
 */
import type { Clock } from '../../contracts';
import { nextTimestamp } from '../time/dotnet-time';
import type { InstanceStore } from '../store/instance-store';
import { timerFiredMessage, timerMessageId } from './inbox-messages';
import { retryWrite } from './retry-write';

/** What the timer service needs. */
export interface TimerServiceDeps {
  store: InstanceStore;
  clock: Clock;
  /** Tracks the store write, so `idle()` waits for it. */
  track(work: Promise<unknown>): void;
  /** A TimerFired message was stored for the instance. */
  fired(instanceId: string): void;
  onError(error: unknown): void;
}

/** Arms and fires durable timers. */
export class TimerService {
  readonly #deps: TimerServiceDeps;
  readonly #armed = new Map<string, () => void>();
  #stopped = false;

  constructor(deps: TimerServiceDeps) {
    this.#deps = deps;
  }

  /** Arms timer `timerId` of an execution to fire at `fireAt` (no-op if already armed). */
  arm(instanceId: string, executionId: string, timerId: number, fireAt: string): void {
    const key = `${instanceId}|${timerMessageId(executionId, timerId)}`;
    if (this.#stopped || this.#armed.has(key)) return;
    // Fire at the first whole millisecond at or after the tick-precise due time.
    const due = new Date(Math.ceil(Date.parse(fireAt)));
    const cancel = this.#deps.clock.schedule(due, () => {
      this.#armed.delete(key);
      if (this.#stopped) return;
      const { store, clock } = this.#deps;
      const message = timerFiredMessage(nextTimestamp(clock.now(), undefined), executionId, timerId, fireAt);
      this.#deps.track(
        retryWrite(() => store.addMessage(instanceId, message), { shouldRetry: () => !this.#stopped }).then(
          (added) => {
            if (added) this.#deps.fired(instanceId);
          },
          (error: unknown) => this.#deps.onError(error),
        ),
      );
    });
    this.#armed.set(key, cancel);
  }

  /** How many timers are armed. */
  get size(): number {
    return this.#armed.size;
  }

  /** Cancels every timer; no timer fires afterwards. */
  stop(): void {
    this.#stopped = true;
    for (const cancel of this.#armed.values()) cancel();
    this.#armed.clear();
  }
}
