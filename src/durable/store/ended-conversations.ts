import type { ConversationMessage } from '../../core/messages';
import { onePerOwner } from '../one-per-owner';

/** Runs whose conversations a process keeps by default, and the most text they hold together. */
export const DEFAULT_ENDED_RUNS = 500;
export const DEFAULT_ENDED_TEXT = 4_000_000;

/**
 * The clean conversations of runs that ended, kept by the process that stored (or read) their
 * `output` event, by run store key: a status read of such a run then needs no read of its events.
 *
 * A run's `output` event is its last; every write of it (the turn that ended the run, the finish,
 * a retry of either) carries the same conversation, and a status read shows the `output` event's
 * conversation as soon as one is stored (`conversationFromEvents`). So a kept conversation is what a
 * read of the store would show, on whichever instance. Only keys of their own are kept (run
 * instances with a nonce): a reused run id is another instance, under another key.
 */
export class EndedConversations {
  readonly #maxRuns: number;
  readonly #maxText: number;
  readonly #runs = new Map<string, { conversation: ConversationMessage[]; text: number }>();
  #text = 0;

  constructor(maxRuns: number = DEFAULT_ENDED_RUNS, maxText: number = DEFAULT_ENDED_TEXT) {
    this.#maxRuns = maxRuns;
    this.#maxText = maxText;
  }

  /** Keeps the conversation of the ended run `key` (one longer than a tenth of the budget is not kept). */
  remember(key: string, conversation: ConversationMessage[]): void {
    const text = conversation.reduce((sum, message) => sum + message.text.length, 0);
    if (text > this.#maxText / 10) return;
    this.forget(key);
    this.#runs.set(key, { conversation, text });
    this.#text += text;
    // Maps iterate in insertion order: the first key is the run that ended longest ago.
    while (this.#runs.size > this.#maxRuns || this.#text > this.#maxText) {
      this.forget(this.#runs.keys().next().value as string);
    }
  }

  /** The conversation of the ended run `key`, if this process keeps it. */
  get(key: string): ConversationMessage[] | undefined {
    return this.#runs.get(key)?.conversation;
  }

  forget(key: string): void {
    const kept = this.#runs.get(key);
    if (!kept) return;
    this.#runs.delete(key);
    this.#text -= kept.text;
  }
}

/** The one cache of the app's services `owner` (its activities and status route share it). */
export const endedConversationsOf: (owner: object) => EndedConversations = onePerOwner(
  () => new EndedConversations(),
);
