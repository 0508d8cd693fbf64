import type { UnnumberedEvent, WorkflowEvent } from '../../core/events';

/**
 * Numbers events as the run emits them: `seq` 1, 2, 3... without gaps, and keeps the ones not yet
 * handed to the run store. Deterministic: the same emissions in the same order give the same numbers
 * on every replay, which is what makes idempotent upserts by `seq` correct.
 */
export class EventLog {
  #nextSeq: number;
  #pending: WorkflowEvent[];
  readonly #now: () => string;

  /** `now`: the orchestration's replay-safe clock, which stamps every event. */
  constructor(nextSeq: number, pending: readonly WorkflowEvent[], now: () => string) {
    this.#nextSeq = nextSeq;
    this.#pending = [...pending];
    this.#now = now;
  }

  emit(event: UnnumberedEvent): WorkflowEvent {
    // Typed by construction: the run's own code builds every event, so no schema check on each
    // emission (this runs again on every replay of every episode).
    const numbered: WorkflowEvent = { ...event, seq: this.#nextSeq, timestamp: this.#now() };
    this.#nextSeq += 1;
    this.#pending.push(numbered);
    return numbered;
  }

  /** Reserves the next `seq` for an event an activity writes itself (e.g. the `output` event). */
  reserve(): number {
    const seq = this.#nextSeq;
    this.#nextSeq += 1;
    return seq;
  }

  /**
   * Moves past `count` seqs an activity numbered itself from {@link nextSeq} on (an agent turn's
   * events); nothing may be pending then, or it would precede them without being stored first.
   */
  skip(count: number): void {
    if (this.#pending.length > 0) {
      throw new Error(`Cannot skip ${count} seqs while ${this.#pending.length} events are pending.`);
    }
    this.#nextSeq += count;
  }

  /** Removes and returns the events not yet handed to the store. */
  take(): WorkflowEvent[] {
    const events = this.#pending;
    this.#pending = [];
    return events;
  }

  /**
   * Puts events handed to an activity that may not have stored them back before the pending ones,
   * to be handed over again (the store's writes are idempotent). They must precede every pending event.
   */
  requeue(events: readonly WorkflowEvent[]): void {
    const last = events.at(-1);
    const firstPending = this.#pending[0];
    if (last && firstPending && last.seq >= firstPending.seq) {
      throw new Error(`Requeued event ${last.seq} does not precede pending event ${firstPending.seq}.`);
    }
    this.#pending = [...events, ...this.#pending];
  }

  /** The events not yet handed to the store (for carrying over a continue-as-new). */
  peekPending(): WorkflowEvent[] {
    return [...this.#pending];
  }

  get nextSeq(): number {
    return this.#nextSeq;
  }

  /** The highest `seq` emitted so far. */
  get lastSeq(): number {
    return this.#nextSeq - 1;
  }
}
