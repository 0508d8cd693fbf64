import type { TurnPreview } from './turn-preview';

/** Receives the previews of one run as an attempt publishes them. */
export type PreviewListener = (preview: TurnPreview) => void;

/**
 * Previews in process: the agent-turn activity publishes each step of its preview here, and the
 * event streams this process serves for the run hear it at once. Readers on other instances (or
 * other worker processes) get the preview from the run store instead, a little later.
 *
 * Nothing is kept: a listener hears what is published while it listens, and a stream that starts
 * mid-answer catches up from the run store's copy.
 */
export class LivePreviewChannel {
  readonly #listeners = new Map<string, Set<PreviewListener>>();

  /** Tells the run's listeners; a listener that throws does not stop the others. */
  publish(runId: string, preview: TurnPreview): void {
    for (const listener of this.#listeners.get(runId) ?? []) {
      try {
        listener(preview);
      } catch {
        // A reader's failure is its own: the writer and the other readers carry on.
      }
    }
  }

  /** Whether any stream of this process listens to `runId` (a writer makes no preview for none). */
  listens(runId: string): boolean {
    return this.#listeners.has(runId);
  }

  /** Listens to the previews of `runId` until the returned function is called. */
  subscribe(runId: string, listener: PreviewListener): () => void {
    let listeners = this.#listeners.get(runId);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(runId, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.#listeners.get(runId) === listeners) this.#listeners.delete(runId);
    };
  }

  /** How many runs have listeners (for tests: streams that ended must leave none). */
  get runsListened(): number {
    return this.#listeners.size;
  }
}
