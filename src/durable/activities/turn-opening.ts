/**
 * The opening of a turn's first attempt, deferred: the write that stores what the turn was handed
 * (its input events, the user messages among them) and tells the attempt whether it is the first
 * (see {@link RunStore.openTurn}). A turn whose first write would be its commit folds its input
 * into the commit instead (one request per turn); the opening is made earlier only when something
 * needs it first:
 *
 * - the turn acts on what it received (records a step, runs a tool): nothing may be acted on before
 *   the attempt knows whether an earlier one recorded it;
 * - a stream of this process listens when the first piece of answer text comes: nothing is
 *   published before the preview claim, which the opening stores;
 * - {@link TURN_OPENING_DELAY_MS} passed: the user's message and the agent's start reach the run's
 *   followers by then, and the preview can be stored for streams elsewhere;
 * - the attempt returns without committing: the orchestrator then counts the input as stored.
 *
 * An opening that finds an earlier attempt's input (`first: false`) means the attempt assumed
 * wrongly that there were no records: what it did so far was acted on by nothing, and it runs again
 * from the records the opening read.
 */
import type { OpenedTurn } from '../store/run-store';

/** How long a first attempt runs before it stores its input anyway. */
export const TURN_OPENING_DELAY_MS = 200;

/** One attempt's deferred opening. */
export class TurnOpening {
  readonly #open: () => Promise<OpenedTurn>;
  #opening: Promise<OpenedTurn> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #folded = false;

  /** `open` makes the write; the timer starts now. */
  constructor(open: () => Promise<OpenedTurn>, delayMs: number = TURN_OPENING_DELAY_MS) {
    this.#open = open;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      // A failure shows where the attempt next needs the opening (or is moot once it folded).
      this.open().catch(() => undefined);
    }, delayMs);
  }

  /** Whether the opening was made (or is being made). */
  get started(): boolean {
    return this.#opening !== undefined;
  }

  /** Makes the opening now, once; later calls get the same outcome. */
  open(): Promise<OpenedTurn> {
    this.#stopTimer();
    this.#opening ??= this.#open();
    return this.#opening;
  }

  /**
   * The commit will store the input: true (and no timer opens the turn any more) when the opening
   * was not made, false when it was (the caller awaits {@link open}).
   */
  fold(): boolean {
    this.#stopTimer();
    if (this.#opening) return false;
    this.#folded = true;
    return true;
  }

  /** Whether the input went with the commit ({@link fold}). */
  get folded(): boolean {
    return this.#folded;
  }

  /** Stops the timer (the attempt is over). */
  stop(): void {
    this.#stopTimer();
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
