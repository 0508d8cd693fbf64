/**
 * Prints agents' answers as the model writes them: `💬 agent: ` and then each piece as it comes,
 * on one line that the turn's `agent_response` ends. A later attempt of the turn starts a new line;
 * an answer that came without a preview (or with only its start) is printed whole (or finished).
 */
import type { AgentResponseDelta } from '../../src/core/response-delta';
import type { WorkflowEvent } from '../../src/core/events';

/** Where the printer writes: `write` without a line break, `line` with one. */
export interface AnswerOutput {
  write(text: string): void;
  line(text: string): void;
}

/** The preview this printer has on screen, and what of it no `agent_response` has claimed yet. */
interface Shown {
  agent: string;
  turn: number;
  attempt: number;
  unclaimed: string;
}

/** Follows a run's previews and events and prints the answers. */
export class AnswerPrinter {
  readonly #out: AnswerOutput;
  #shown: Shown | undefined;
  /** True while the cursor stands after a printed piece, mid-line. */
  #open = false;
  #lastAnswer: { agent: string; text: string } | undefined;

  constructor(out: AnswerOutput) {
    this.#out = out;
  }

  /** Whether the last answer printed is `agent`'s `text` (a question it asks is then on screen). */
  printed(agent: string, text: string): boolean {
    return this.#lastAnswer?.agent === agent && this.#lastAnswer.text === text;
  }

  /** A piece of an answer being written. */
  delta(delta: AgentResponseDelta): void {
    const shown = this.#shown;
    const sameTurn = shown?.agent === delta.agent && shown.turn === delta.turn;
    if (sameTurn && delta.attempt < shown.attempt) return;
    if (!sameTurn || delta.attempt > shown.attempt) {
      this.#endLine();
      if (sameTurn) this.#out.line(`↻ ${delta.agent} starts its answer again (attempt ${delta.attempt})`);
      this.#out.write(`💬 ${delta.agent}: `);
      this.#shown = { agent: delta.agent, turn: delta.turn, attempt: delta.attempt, unclaimed: '' };
    }
    this.#out.write(delta.delta);
    this.#shown!.unclaimed += delta.delta;
    this.#open = true;
  }

  /**
   * A durable event, before it is printed: an `agent_response` ends or completes its preview (or is
   * printed whole); the agent's end, an error or the run's end closes a preview left open.
   */
  event(event: WorkflowEvent): void {
    const shown = this.#shown;
    if (event.type === 'agent_response') {
      this.#lastAnswer = { agent: event.agent, text: event.text };
      if (shown?.agent === event.agent && shown.unclaimed.startsWith(event.text) && event.text !== '') {
        // Shown already: a turn's answers are previewed one after the other, a blank line apart.
        shown.unclaimed = shown.unclaimed.slice(event.text.length).replace(/^\n\n/, '');
        if (shown.unclaimed === '') this.#endLine();
        return;
      }
      if (shown?.agent === event.agent && event.text.startsWith(shown.unclaimed) && shown.unclaimed !== '') {
        // Only its start was shown: print the rest.
        this.#out.write(event.text.slice(shown.unclaimed.length));
        this.#shown = undefined;
        this.#endLine();
        return;
      }
      this.#endLine();
      this.#shown = undefined;
      this.#out.line(`💬 ${event.agent}: ${event.text}`);
      return;
    }
    const closes =
      event.type === 'error' ||
      event.type === 'status' ||
      event.type === 'output' ||
      (event.type === 'executor_completed' && event.executorId === shown?.agent);
    if (closes) {
      this.#endLine();
      this.#shown = undefined;
    }
  }

  #endLine(): void {
    if (!this.#open) return;
    this.#out.line('');
    this.#open = false;
  }
}
