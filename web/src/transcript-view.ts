/** The conversation list: chat bubbles with author names, and notes (handoffs, warnings, errors). */
import { element } from './dom.js';
import type { Note } from './event-text.js';

/** Who wrote a message, as the bubble shows it. */
export interface BubbleAuthor {
  name: string;
  /** `user` bubbles sit on the right, `agent` ones on the left. */
  side: 'user' | 'agent';
  /** A prompt the workflow wrote in autonomous mode, not the human. */
  synthetic?: boolean;
}

/** Appends a chat bubble. */
export function appendBubble(list: HTMLOListElement, author: BubbleAuthor, text: string): void {
  const item = element('li', `bubble bubble-${author.side}${author.synthetic ? ' bubble-synthetic' : ''}`);
  item.append(element('p', 'bubble-author', author.name), element('p', 'bubble-text', text));
  list.append(item);
  item.scrollIntoView({ block: 'nearest' });
}

/** Appends a note between messages. */
export function appendNote(list: HTMLOListElement, note: Note): void {
  const item = element('li', `note note-${note.tone}`, note.text);
  list.append(item);
  item.scrollIntoView({ block: 'nearest' });
}
