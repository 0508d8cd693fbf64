/**
 * Follows a run's events over Server-Sent Events, each event once, across network drops.
 *
 * EventSource reconnects by itself after an error, but the page cannot tell a dropped connection
 * from the server ending a stream at its maximum duration (both are an `error` event), and a
 * stream that failed with an HTTP error is not retried at all. So the feed handles every error the
 * same way: close the stream and open a new one with `?after=<last seq>` after a short back-off
 * (at once when the browser comes back online). A {@link SeqGate} drops anything already shown.
 */
import { readEvent, type ChatEvent } from './api-types.js';
import { SeqGate } from './seq-gate.js';

/** Where the connection stands, for the "reconnecting…" indicator. */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'closed';

/** What the feed follows and whom it tells. */
export interface EventFeedOptions {
  /** The run's `eventsUri`. */
  eventsUri: string;
  /** The run token (EventSource cannot send headers, so it goes in `?token=`). */
  token: string;
  /** The highest `seq` already handled (0 to get the whole log). */
  after: number;
  /** Each new event, in `seq` order, once. */
  onEvent(event: ChatEvent): void;
  onConnection(state: ConnectionState): void;
  /** The stream broke; a new one is on its way. The run may have ended meanwhile. */
  onInterrupted(): void;
  /** An event arrived that the page cannot read. */
  onUnreadable(error: Error): void;
}

/** Back-off before reopening, by consecutive failures. */
const RETRY_DELAYS_MS = [500, 1_000, 2_000, 4_000, 8_000];

/** One run's event stream; closes itself after the run's `output` event. */
export class EventFeed {
  readonly #options: EventFeedOptions;
  readonly #gate: SeqGate;
  #source: EventSource | undefined;
  #retryTimer: number | undefined;
  #failures = 0;
  #closed = false;

  constructor(options: EventFeedOptions) {
    this.#options = options;
    this.#gate = new SeqGate(options.after);
  }

  /** The highest `seq` delivered. */
  get lastSeq(): number {
    return this.#gate.last;
  }

  /** Opens the stream. */
  start(): void {
    window.addEventListener('online', this.#reopenNow);
    this.#open();
  }

  /** Delivers events read another way (the JSON log); ones already delivered are dropped. */
  deliver(events: readonly ChatEvent[]): void {
    for (const event of events) this.#accept(event);
  }

  /** Stops following the run. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#source?.close();
    this.#source = undefined;
    window.clearTimeout(this.#retryTimer);
    window.removeEventListener('online', this.#reopenNow);
    this.#options.onConnection('closed');
  }

  readonly #reopenNow = (): void => {
    if (this.#retryTimer === undefined || this.#closed) return;
    window.clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#open();
  };

  #open(): void {
    const url = new URL(this.#options.eventsUri);
    url.searchParams.set('token', this.#options.token);
    url.searchParams.set('after', String(this.#gate.last));
    const source = new EventSource(url);
    this.#source = source;
    this.#options.onConnection(this.#failures === 0 ? 'connecting' : 'reconnecting');
    source.addEventListener('open', () => {
      if (source !== this.#source) return;
      this.#failures = 0;
      this.#options.onConnection('live');
    });
    // Every run event arrives as a plain `message` (the type is in the data); `error` is only ever
    // EventSource's own connection failure.
    source.addEventListener('message', (message) => this.#onMessage(source, message));
    source.addEventListener('error', () => this.#onDrop(source));
  }

  #onMessage(source: EventSource, message: Event): void {
    if (source !== this.#source || !(message instanceof MessageEvent)) return;
    let event: ChatEvent | undefined;
    try {
      event = readEvent(JSON.parse(String(message.data)));
    } catch (error) {
      this.#options.onUnreadable(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (event) this.#accept(event);
  }

  #accept(event: ChatEvent): void {
    if (this.#closed || !this.#gate.admit(event.seq)) return;
    this.#options.onEvent(event);
    if (event.type === 'output') this.close();
  }

  #onDrop(source: EventSource): void {
    if (source !== this.#source || this.#closed) return;
    source.close();
    this.#source = undefined;
    const delay = RETRY_DELAYS_MS[Math.min(this.#failures, RETRY_DELAYS_MS.length - 1)];
    this.#failures++;
    this.#options.onConnection('reconnecting');
    this.#retryTimer = window.setTimeout(() => {
      this.#retryTimer = undefined;
      if (!this.#closed) this.#open();
    }, delay);
    this.#options.onInterrupted();
  }
}
