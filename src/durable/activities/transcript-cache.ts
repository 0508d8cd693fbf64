import type { TranscriptMessage } from '../../core/messages';
import type { RunStore } from '../store/run-store';
import { onePerOwner } from '../one-per-owner';

/** Runs whose transcripts a process keeps by default: a few KB each, for the runs it serves. */
export const DEFAULT_CACHED_RUNS = 500;

/** What this process keeps of a run. */
interface KeptRun {
  /** Its settled transcript from position 0. */
  messages: readonly TranscriptMessage[];
  /**
   * The first seq of the latest turn an attempt of which began in this process: -1 for none (the
   * run started here), Infinity when not known (kept again after it was evicted).
   */
  begun: number;
}

/**
 * The transcripts of recent runs in this process, so an agent turn reads from the run store only
 * the messages added since this process last saw the run (none, when it ran the turn before).
 *
 * Only settled messages are kept: those before the position the orchestrator hands a turn
 * (`knownMessages`), which are the user messages of its history and the messages of committed
 * turns, each written once and never changed (a turn commits once; an attempt that lost the commit
 * puts the committed messages back). So a kept message is what the store holds at its position,
 * whichever instance wrote it, and a transcript another instance extended is only shorter here.
 *
 * It also remembers, per run, the latest turn an attempt of which began here
 * ({@link beginAttempt}): with the run kept since before that turn, it tells an attempt that no
 * earlier attempt of its turn ran in this process.
 */
export class TranscriptCache {
  readonly #maxRuns: number;
  readonly #runs = new Map<string, KeptRun>();

  constructor(maxRuns: number = DEFAULT_CACHED_RUNS) {
    this.#maxRuns = maxRuns;
  }

  /** The first `count` messages of run `key`: the kept ones, and the rest read from `store`. */
  async read(store: RunStore, key: string, count: number): Promise<TranscriptMessage[]> {
    const kept = this.#runs.get(key)?.messages ?? [];
    if (kept.length >= count) return kept.slice(0, count);
    const rest = await store.readMessages(key, count, kept.length);
    // A store written before readMessages took a start position reads from 0 whatever it is asked.
    const transcript = kept.length > 0 && rest.length === count ? rest : [...kept, ...rest];
    this.remember(key, transcript);
    return transcript;
  }

  /** Keeps `messages` as run `key`'s settled transcript from position 0 (a longer one already kept wins). */
  remember(key: string, messages: readonly TranscriptMessage[]): void {
    const kept = this.#runs.get(key);
    if (kept !== undefined && kept.messages.length >= messages.length) return;
    // A run kept anew (it was evicted, or never kept) may have had attempts here that nothing
    // noted: none of its turns counts as unbegun ({@link beginAttempt}).
    this.#keep(key, { messages, begun: kept?.begun ?? Infinity });
  }

  /**
   * Notes that run `key` started in this process: its first turn's first attempt here then knows
   * that no attempt of it ran here before ({@link beginAttempt}).
   */
  started(key: string): void {
    if (!this.#runs.has(key)) this.#keep(key, { messages: [], begun: -1 });
  }

  /**
   * Notes that an attempt of the turn whose events start at `firstSeq` begins in this process.
   * True when this process kept run `key` since before any attempt of that turn began here (it
   * started the run, or began an attempt of an earlier turn, and has not been restarted since) and
   * none did: no earlier attempt of the turn ran in this process. False otherwise, also when the
   * run is not kept (after a restart, or evicted), which it is from now on.
   */
  beginAttempt(key: string, firstSeq: number): boolean {
    const kept = this.#runs.get(key);
    if (kept === undefined) {
      this.#keep(key, { messages: [], begun: firstSeq });
      return false;
    }
    const first = kept.begun < firstSeq;
    kept.begun = Math.max(kept.begun, firstSeq);
    return first;
  }

  /** Forgets run `key` (it finished). */
  forget(key: string): void {
    this.#runs.delete(key);
  }

  #keep(key: string, run: KeptRun): void {
    this.#runs.delete(key);
    this.#runs.set(key, run);
    // Maps iterate in insertion order: the first key is the run least recently extended.
    while (this.#runs.size > this.#maxRuns) this.#runs.delete(this.#runs.keys().next().value as string);
  }
}

/** The one cache of the app's services `owner` (the activities registered with them share it). */
export const transcriptCacheOf: (owner: object) => TranscriptCache = onePerOwner(() => new TranscriptCache());
