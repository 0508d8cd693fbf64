import type { RunStore } from '../store/run-store';
import type { LivePreviewChannel } from './live-preview-channel';
import type { StoredPreview, TurnPreview } from './turn-preview';

/** At most five store writes a second per turn: readers elsewhere poll about twice a second. */
export const PREVIEW_WRITE_INTERVAL_MS = 200;

/** A claim that keeps losing to another writer gives up after this many tries. */
const CLAIM_TRIES = 3;

/** What a {@link PreviewPublisher} needs. */
export interface PreviewPublisherOptions {
  store: Pick<RunStore, 'readPreview' | 'writePreview' | 'deletePreview'>;
  /** The in-process channel of this process's event streams; none: the run store only. */
  channel?: LivePreviewChannel | undefined;
  runId: string;
  /** Which turn: its first event's seq, its agent and its number in the run. */
  turn: Pick<TurnPreview, 'firstSeq' | 'agent' | 'turn'>;
  /** The least time between two store writes (default {@link PREVIEW_WRITE_INTERVAL_MS}). */
  minWriteIntervalMs?: number;
  /**
   * The lowest attempt number to claim: a turn the orchestrator runs again after a failed attempt
   * (under a new `firstSeq`) goes on numbering from it, so readers restart the preview. Default 1.
   */
  firstAttempt?: number;
  /** Where failures to publish go; a preview never fails the turn. */
  warn?: (message: string) => void;
  /**
   * The attempt number this attempt already holds and the version of the empty preview it stored
   * claiming it (with the turn's input, {@link RunStore.openTurn}): nothing is claimed then, the
   * text goes to this process's streams from the first piece, and to the store at most every
   * `minWriteIntervalMs` counted from that claim, so an answer written faster costs no store write.
   */
  claimed?: { attempt: number; version: string };
  /**
   * For an attempt that has not stored its input yet (a turn's first attempt, `turn-opening.ts`):
   * the attempt number it takes, and `open`, which stores the input with {@link PreviewPublisher.claimSnapshot}
   * as the claim and then reports to {@link PreviewPublisher.opened}. The publisher asks for it at
   * the first piece a stream of this process listens to; until the turn opened (for that reason or
   * another) nothing is published or stored.
   */
  deferredClaim?: { attempt: number; open: () => void };
}

type State = 'idle' | 'deferred' | 'claiming' | 'live' | 'stopped';

/**
 * Publishes one attempt's answer preview as the model writes it: to this process's event streams
 * at once, and to the run store (for streams served elsewhere) at most every
 * `minWriteIntervalMs`, a write that is due on the next timer tick (an answer that ends before it
 * is not stored: its commit supersedes the preview).
 *
 * The first write claims the attempt's number, unless the attempt claimed it with its input
 * (`claimed`, a turn's first attempt). Usually no preview is stored (the turn's first
 * attempt; the turn before removed its own), and the write creates it as attempt 1: one request,
 * and none at all for a turn that writes no text. When one is stored, it is read, and this attempt
 * takes its attempt + 1 if it is this turn's (an earlier attempt failed), else 1, replacing only the
 * version read, so two attempts never share a number. Nothing is published before the claim holds:
 * a preview any reader saw always has its attempt on record. Later writes replace only this
 * attempt's own version; an attempt that finds the preview changed by another stops publishing.
 *
 * Previews are best effort: a failed store write is logged and only stops the store's copy.
 */
export class PreviewPublisher {
  readonly #options: PreviewPublisherOptions;
  readonly #minWriteIntervalMs: number;
  #state: State = 'idle';
  #storeStopped = false;
  #closed = false;
  #text = '';
  #attempt = 0;
  #version: string | undefined;
  #storedLength = 0;
  #claimLength = 0;
  #lastWriteAt = Number.NEGATIVE_INFINITY;
  #inFlight: Promise<void> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: PreviewPublisherOptions) {
    this.#options = options;
    this.#minWriteIntervalMs = options.minWriteIntervalMs ?? PREVIEW_WRITE_INTERVAL_MS;
    if (options.claimed) {
      this.#state = 'live';
      this.#attempt = options.claimed.attempt;
      this.#version = options.claimed.version;
      this.#lastWriteAt = Date.now();
    } else if (options.deferredClaim) {
      this.#state = 'deferred';
    }
  }

  /**
   * The preview a deferred claim stores with the turn's input (`deferredClaim`): the text so far,
   * at the attempt number it takes.
   */
  claimSnapshot(): TurnPreview {
    this.#claimLength = this.#text.length;
    return this.#snapshot(this.#options.deferredClaim?.attempt ?? 1);
  }

  /**
   * How the turn's opening went for a deferred claim: `version`, the version of the preview it
   * stored ({@link claimSnapshot}), when the claim holds; undefined when an earlier attempt had
   * opened the turn. Then, with `claimAnew` (it left nothing to replay, so this attempt goes on),
   * the publisher claims as any later attempt does, at its next piece; else (this attempt runs
   * again from the records) it publishes nothing.
   */
  opened(version: string | undefined, claimAnew = false): void {
    if (this.#state !== 'deferred' && this.#state !== 'claiming') return;
    if (version === undefined) {
      this.#state = claimAnew && !this.#closed ? 'idle' : 'stopped';
      if (
        this.#state === 'idle' &&
        this.#text !== '' &&
        this.#options.channel?.listens(this.#options.runId)
      ) {
        this.#state = 'claiming';
        this.#run(this.#claim(), 'claim');
      }
      return;
    }
    this.#attempt = this.#options.deferredClaim?.attempt ?? 1;
    this.#version = version;
    this.#storedLength = this.#claimLength;
    this.#lastWriteAt = Date.now();
    this.#state = 'live';
    if (this.#closed || this.#text === '') return;
    this.#publishLive();
    this.#scheduleWrite();
  }

  /** The turn's opening failed (the attempt fails with it): nothing is published. */
  openFailed(): void {
    if (this.#state === 'deferred' || this.#state === 'claiming') this.#state = 'stopped';
  }

  /** The attempt number claimed; 0 until the first write holds. */
  get attempt(): number {
    return this.#attempt;
  }

  /** The version of the preview this attempt stored last; undefined while it stored none. */
  get storedVersion(): string | undefined {
    return this.#version;
  }

  /** False once this attempt gave its preview up (another attempt took it over, or the claim failed). */
  get publishing(): boolean {
    return this.#state !== 'stopped';
  }

  /** Adds text the model wrote. Never throws. */
  append(delta: string): void {
    if (this.#closed || delta === '' || this.#state === 'stopped') return;
    this.#text += delta;
    if (this.#state === 'deferred') {
      // Nothing is published before the claim holds, and the claim goes with the turn's input: it
      // is made now only for a stream of this process; the turn's opening timer makes it otherwise.
      const { channel, runId, deferredClaim } = this.#options;
      if (channel?.listens(runId) && deferredClaim) {
        this.#state = 'claiming';
        deferredClaim.open();
      }
    } else if (this.#state === 'idle') {
      this.#state = 'claiming';
      this.#run(this.#claim(), 'claim');
    } else if (this.#state === 'live') {
      this.#publishLive();
      this.#scheduleWrite();
    }
  }

  /** Stops publishing and waits for a write in flight: nothing is written after it resolves. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#inFlight) await this.#inFlight;
  }

  /**
   * After the turn committed (its `agent_response` supersedes the preview): closes, and removes the
   * preview this attempt stored, unless another writer changed it since. (One an earlier attempt
   * left while this one wrote none is replaced by the next turn's, or removed by the run's finish.)
   */
  async discard(): Promise<void> {
    await this.close();
    const version = this.#version;
    if (version === undefined) return;
    try {
      await this.#options.store.deletePreview(this.#options.runId, version);
    } catch (error) {
      this.#warn(`could not remove the answer preview (the run's finish will): ${messageOf(error)}`);
    }
  }

  #snapshot(attempt: number): TurnPreview {
    return { ...this.#options.turn, attempt, text: this.#text };
  }

  #publishLive(): void {
    // Every piece of an answer comes here: the snapshot is made only when a stream listens.
    const { channel, runId } = this.#options;
    if (channel?.listens(runId)) channel.publish(runId, this.#snapshot(this.#attempt));
  }

  async #claim(): Promise<void> {
    const { store, runId, turn } = this.#options;
    // Unknown until a write finds one: then the stored preview and its version.
    let found: StoredPreview | undefined;
    for (let tries = 0; tries < CLAIM_TRIES; tries += 1) {
      const attempt = Math.max(
        this.#options.firstAttempt ?? 1,
        found?.preview.firstSeq === turn.firstSeq ? found.preview.attempt + 1 : 1,
      );
      const snapshot = this.#snapshot(attempt);
      this.#lastWriteAt = Date.now();
      const version = await store.writePreview(runId, snapshot, found?.version);
      if (version !== undefined) {
        this.#attempt = attempt;
        this.#version = version;
        this.#storedLength = snapshot.text.length;
        if (this.#closed) return;
        this.#state = 'live';
        this.#publishLive();
        return;
      }
      found = await store.readPreview(runId);
    }
    this.#state = 'stopped';
    this.#warn(`another attempt kept replacing the answer preview; this attempt shows none`);
  }

  /** True when text not stored yet may be written now (nothing in flight, still this attempt's). */
  #canWrite(): boolean {
    return (
      !this.#closed &&
      !this.#storeStopped &&
      this.#state === 'live' &&
      !this.#inFlight &&
      this.#text.length !== this.#storedLength
    );
  }

  #scheduleWrite(): void {
    if (this.#timer !== undefined || !this.#canWrite()) return;
    // Even a write that is due waits for a timer: the rest of the answer that came in the same read
    // is taken first, and an answer that ends there costs no store write (its commit follows at
    // once and supersedes the preview). Under load every turn takes longer than the interval, and
    // without this most answers were stored once, moments before their commit (#16).
    const wait = Math.max(0, this.#lastWriteAt + this.#minWriteIntervalMs - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#lastWriteAt + this.#minWriteIntervalMs > Date.now()) this.#scheduleWrite();
      else if (this.#canWrite()) this.#run(this.#write(), 'write');
    }, wait);
  }

  async #write(): Promise<void> {
    const snapshot = this.#snapshot(this.#attempt);
    this.#lastWriteAt = Date.now();
    const version = await this.#options.store.writePreview(this.#options.runId, snapshot, this.#version);
    if (version === undefined) {
      // Another attempt of the turn took the preview over (or the turn was settled): this one is stale.
      this.#state = 'stopped';
      return;
    }
    this.#version = version;
    this.#storedLength = snapshot.text.length;
  }

  #run(work: Promise<void>, what: 'claim' | 'write'): void {
    const tracked = work
      .catch((error: unknown) => {
        if (what === 'claim') {
          this.#state = 'stopped';
          this.#warn(`could not store the answer preview; this attempt shows none: ${messageOf(error)}`);
        } else {
          // Readers on this instance still get the preview; readers elsewhere get the answer.
          this.#storeStopped = true;
          this.#warn(`stopped storing the answer preview: ${messageOf(error)}`);
        }
      })
      .finally(() => {
        if (this.#inFlight === tracked) this.#inFlight = undefined;
        this.#scheduleWrite();
      });
    this.#inFlight = tracked;
  }

  #warn(message: string): void {
    this.#options.warn?.(
      `Answer preview of run '${this.#options.runId}' turn ${this.#options.turn.turn}: ${message}`,
    );
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
