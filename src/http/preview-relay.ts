import { AGENT_RESPONSE_DELTA, type AgentResponseDelta } from '../core/response-delta';
import type { TurnPreview } from '../durable/preview/turn-preview';

/**
 * Turns the previews one event stream sees (from this process's channel and from the run store,
 * in any interleaving, each the whole text so far) into the deltas its client gets: each piece of
 * text once, in order, and a new attempt's text from its start.
 *
 * A preview is sent only in its place in the log: once the stream has sent every event before the
 * turn (`firstSeq - 1`), and never after it sent one of the turn's own events, which supersede it.
 * An early preview waits (the latest one only) until the events before it are sent.
 */
export class PreviewRelay {
  #sent: { firstSeq: number; attempt: number; length: number } | undefined;
  #waiting: TurnPreview | undefined;

  /** True while a preview waits for events before it: the stream should read the log now. */
  get waiting(): boolean {
    return this.#waiting !== undefined;
  }

  /** The delta to send for `preview`, given the last event `seq` the stream sent. */
  offer(preview: TurnPreview, cursor: number): AgentResponseDelta | undefined {
    if (cursor >= preview.firstSeq) return undefined;
    if (cursor < preview.firstSeq - 1) {
      const waiting = this.#waiting;
      if (!waiting || isLater(preview, waiting)) this.#waiting = preview;
      return undefined;
    }
    const sent = this.#sent;
    if (sent && sent.firstSeq === preview.firstSeq) {
      if (preview.attempt < sent.attempt) return undefined;
      if (preview.attempt === sent.attempt) {
        if (preview.text.length <= sent.length) return undefined;
        const delta = preview.text.slice(sent.length);
        sent.length = preview.text.length;
        return this.#delta(preview, delta);
      }
    }
    if (preview.text === '') return undefined;
    this.#sent = { firstSeq: preview.firstSeq, attempt: preview.attempt, length: preview.text.length };
    return this.#delta(preview, preview.text);
  }

  /** After events were sent: the waiting preview's delta, if it is now in its place. */
  release(cursor: number): AgentResponseDelta | undefined {
    const waiting = this.#waiting;
    if (!waiting || cursor < waiting.firstSeq - 1) return undefined;
    this.#waiting = undefined;
    return this.offer(waiting, cursor);
  }

  #delta(preview: TurnPreview, delta: string): AgentResponseDelta {
    return {
      type: AGENT_RESPONSE_DELTA,
      agent: preview.agent,
      turn: preview.turn,
      attempt: preview.attempt,
      delta,
    };
  }
}

/** Whether `a` is a later state of a run's preview than `b`. */
function isLater(a: TurnPreview, b: TurnPreview): boolean {
  if (a.firstSeq !== b.firstSeq) return a.firstSeq > b.firstSeq;
  if (a.attempt !== b.attempt) return a.attempt > b.attempt;
  return a.text.length >= b.text.length;
}
