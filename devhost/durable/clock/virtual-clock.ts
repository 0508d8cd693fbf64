import type { Clock } from '../../contracts';

interface VirtualTimer {
  at: number;
  order: number;
  callback: () => void;
}

/**
 * A clock that moves only when told to. Durable timers and `currentUtcDateTime` follow it, so a
 * 24-hour reply timeout is tested in milliseconds.
 *
 * `advance` fires due timers in time order (ties in scheduling order), each with `now()` at its
 * due time; timers scheduled by a callback that fall due within the same advance fire too. A timer
 * scheduled at or before `now()` fires on the next microtask. The engine's reaction to a timer is
 * asynchronous: await `engine.idle()` after advancing.
 *
 * @example
 * const clock = new VirtualClock(new Date('2026-01-01T00:00:00Z'));
 * const engine = createDurableEngine({ invoker, store: createMemoryStore(), clock, baseUrl });
 * clock.advance(24 * 60 * 60 * 1000);
 * await engine.idle();
 */
export class VirtualClock implements Clock {
  #now: number;
  #timers: VirtualTimer[] = [];
  #order = 0;

  constructor(start: Date = new Date('2026-01-01T00:00:00.000Z')) {
    this.#now = start.getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  schedule(at: Date, callback: () => void): () => void {
    const timer: VirtualTimer = { at: at.getTime(), order: this.#order++, callback };
    this.#timers.push(timer);
    if (timer.at <= this.#now) {
      // Already due (e.g. DTFx's immediate "dummy" retry timer): fire on the next microtask, as a
      // real clock fires an overdue timer at once.
      queueMicrotask(() => {
        if (!this.#timers.includes(timer)) return;
        this.#timers = this.#timers.filter((t) => t !== timer);
        timer.callback();
      });
    }
    return () => {
      this.#timers = this.#timers.filter((t) => t !== timer);
    };
  }

  /** Moves the clock forward by `ms` (>= 0), firing every timer that falls due. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`VirtualClock.advance expects a duration >= 0 ms, got ${ms}.`);
    this.advanceTo(new Date(this.#now + ms));
  }

  /** Moves the clock forward to `date` (never backwards), firing every timer that falls due. */
  advanceTo(date: Date): void {
    const target = date.getTime();
    if (target < this.#now) {
      throw new RangeError(
        `VirtualClock cannot go back from ${new Date(this.#now).toISOString()} to ${date.toISOString()}.`,
      );
    }
    for (;;) {
      const due = this.#nextDue(target);
      if (!due) break;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.#now = Math.max(this.#now, due.at);
      due.callback();
    }
    this.#now = target;
  }

  /** When the earliest pending timer falls due, if any: lets a test step from timer to timer. */
  nextTimerAt(): Date | undefined {
    const next = this.#nextDue(Number.POSITIVE_INFINITY);
    return next ? new Date(next.at) : undefined;
  }

  /** How many timers are pending. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  #nextDue(limit: number): VirtualTimer | undefined {
    let best: VirtualTimer | undefined;
    for (const timer of this.#timers) {
      if (timer.at > limit) continue;
      if (!best || timer.at < best.at || (timer.at === best.at && timer.order < best.order)) best = timer;
    }
    return best;
  }
}
