/**
 * Lets each run event through once: events are numbered 1, 2, 3... per run, so anything at or
 * below the highest `seq` already let through is a repeat (a reconnection's backlog, a catch-up
 * read that overlaps the stream) and is dropped.
 */
export class SeqGate {
  #last: number;

  /** `last`: the highest `seq` already handled (0 for none). */
  constructor(last = 0) {
    this.#last = last;
  }

  /** The highest `seq` let through so far. */
  get last(): number {
    return this.#last;
  }

  /** True (and remembers it) when `seq` is new; false for a repeat. */
  admit(seq: number): boolean {
    if (seq <= this.#last) return false;
    this.#last = seq;
    return true;
  }
}
