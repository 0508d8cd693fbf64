import type { AgentResponseDelta } from '../core/response-delta';

/**
 * Keeps a stream's answer previews whole across reconnections. On each connection the server sends
 * a turn's preview from its start (its first delta for a turn and attempt holds all the text so far),
 * then what is added; the client passes on only text it has not passed on yet.
 */
export class PreviewDeltas {
  /** Characters passed on per `turn/attempt`. */
  readonly #passed = new Map<string, number>();
  #seenOnConnection = new Set<string>();

  /** A new connection: its first delta of each turn and attempt starts from the preview's start. */
  reconnected(): void {
    this.#seenOnConnection = new Set();
  }

  /** What to pass on of `delta`, or undefined when it holds nothing new. */
  take(delta: AgentResponseDelta): AgentResponseDelta | undefined {
    const key = `${delta.turn}/${delta.attempt}`;
    const passed = this.#passed.get(key) ?? 0;
    if (this.#seenOnConnection.has(key)) {
      this.#passed.set(key, passed + delta.delta.length);
      return delta;
    }
    this.#seenOnConnection.add(key);
    if (delta.delta.length <= passed) return undefined;
    this.#passed.set(key, delta.delta.length);
    return passed === 0 ? delta : { ...delta, delta: delta.delta.slice(passed) };
  }
}
