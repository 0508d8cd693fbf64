import type { TranscriptMessage } from '../../core/messages';
import type { RunStore } from '../store/run-store';
import { onePerOwner } from '../one-per-owner';

/** Runs whose transcripts a process keeps by default: a few KB each, for the runs it serves. */
export const DEFAULT_CACHED_RUNS = 500;

/**
 * The transcripts of recent runs in this process, so an agent turn reads from the run store only
 * the messages added since this process last saw the run (none, when it ran the turn before).
 *
 * Only settled messages are kept: those before the position the orchestrator hands a turn
 * (`knownMessages`), which are the user messages of its history and the messages of committed
 * turns, each written once and never changed (a turn commits once; an attempt that lost the commit
 * puts the committed messages back). So a kept message is what the store holds at its position,
 * whichever instance wrote it, and a transcript another instance extended is only shorter here.
 */
export class TranscriptCache {
  readonly #maxRuns: number;
  readonly #runs = new Map<string, readonly TranscriptMessage[]>();

  constructor(maxRuns: number = DEFAULT_CACHED_RUNS) {
    this.#maxRuns = maxRuns;
  }

  /** The first `count` messages of run `key`: the kept ones, and the rest read from `store`. */
  async read(store: RunStore, key: string, count: number): Promise<TranscriptMessage[]> {
    const kept = this.#runs.get(key) ?? [];
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
    if (kept !== undefined && kept.length >= messages.length) return;
    this.#runs.delete(key);
    this.#runs.set(key, messages);
    // Maps iterate in insertion order: the first key is the run least recently extended.
    while (this.#runs.size > this.#maxRuns) this.#runs.delete(this.#runs.keys().next().value as string);
  }

  /** Forgets run `key` (it finished). */
  forget(key: string): void {
    this.#runs.delete(key);
  }
}

/** The one cache of the app's services `owner` (the activities registered with them share it). */
export const transcriptCacheOf: (owner: object) => TranscriptCache = onePerOwner(() => new TranscriptCache());
