/** The conversation list: chat bubbles with author names, and notes (handoffs, warnings, errors). */
import { element } from './dom.js';
import type { Note } from './event-text.js';
import { renderMarkdown } from './markdown-view.js';

/** Who wrote a message, as the bubble shows it. */
export interface BubbleAuthor {
  name: string;
  /** `user` bubbles sit on the right, `agent` ones on the left. */
  side: 'user' | 'agent';
  /** A prompt the workflow wrote in autonomous mode, not the human. */
  synthetic?: boolean;
}

/**
 * Appends a chat bubble. An agent's text is shown as light Markdown (lists, bold, links...), built
 * as elements, never parsed as HTML; what the user typed is shown as typed.
 */
export function appendBubble(list: HTMLOListElement, author: BubbleAuthor, text: string): HTMLLIElement {
  const item = element('li', `bubble bubble-${author.side}${author.synthetic ? ' bubble-synthetic' : ''}`);
  item.append(element('p', 'bubble-author', author.name), bubbleText(author, text));
  list.append(item);
  item.scrollIntoView({ block: 'nearest' });
  return item;
}

function bubbleText(author: BubbleAuthor, text: string): HTMLElement {
  if (author.side === 'user') return element('p', 'bubble-text', text);
  const container = element('div', 'bubble-text bubble-markdown');
  renderMarkdown(container, text);
  return container;
}

/**
 * An agent's answer while the model writes it: an agent bubble in its typing state (the dots
 * after the name; busy, so screen readers wait for the whole answer), whose text grows in place.
 */
export class PreviewBubble {
  readonly #item: HTMLLIElement;
  readonly #text: HTMLElement;

  constructor(list: HTMLOListElement, agent: string) {
    this.#item = appendBubble(list, { name: agent, side: 'agent' }, '');
    this.#item.classList.add('bubble-typing');
    this.#item.setAttribute('aria-busy', 'true');
    this.#text = this.#item.querySelector('.bubble-text') as HTMLElement;
  }

  /** Shows `text` as the answer so far. */
  show(text: string): void {
    renderMarkdown(this.#text, text);
    this.#item.scrollIntoView({ block: 'nearest' });
  }

  /**
   * Becomes the final bubble with `text` (the `agent_response`), in place: same element, same box
   * for the same text, so nothing around it moves.
   */
  settle(text: string): void {
    renderMarkdown(this.#text, text);
    this.#item.classList.remove('bubble-typing');
    this.#item.removeAttribute('aria-busy');
  }

  /** Removes the bubble (the attempt failed for good, or the run stopped before the answer). */
  remove(): void {
    this.#item.remove();
  }
}

/** Appends a note between messages. */
export function appendNote(list: HTMLOListElement, note: Note): void {
  const item = element('li', `note note-${note.tone}`, note.text);
  list.append(item);
  item.scrollIntoView({ block: 'nearest' });
}
