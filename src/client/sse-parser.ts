/**
 * A Server-Sent Events parser that follows the HTML standard's "interpreting an event stream"
 * rules. It takes text in chunks of any size: a line, a CRLF pair or a field may be split anywhere
 * between two chunks. No EventSource is needed, so the client can send an `Authorization` header
 * and run wherever `fetch` does.
 */

/** One dispatched message. */
export interface SseMessage {
  /** The `event:` field; `message` when the message has none. */
  event: string;
  /** The `data:` lines, joined with `\n`. */
  data: string;
  /** The stream's last event id when the message was dispatched (`id:` persists across messages). */
  lastEventId: string;
}

const LINE_END = /\r\n|\r|\n/g;

/**
 * Incremental SSE parser: `push` text as it arrives and receive the messages completed by it.
 * A message that the stream ends in the middle of is never dispatched, as the standard says.
 *
 * @example
 * ```ts
 * const parser = new SseParser();
 * parser.push('id: 1\nevent: started\nda');
 * const [message] = parser.push('ta: {"seq":1}\n\n'); // { event: 'started', data: '{"seq":1}', lastEventId: '1' }
 * ```
 */
export class SseParser {
  #buffer = '';
  #started = false;
  /** The previous chunk ended with CR: a LF at the start of the next one belongs to that line end. */
  #skipLeadingLf = false;
  #data = '';
  #eventType = '';
  #lastEventId = '';
  #retryMs: number | undefined;

  /** The last `retry:` value the server sent (the reconnection time it asks for), if any. */
  get retryMs(): number | undefined {
    return this.#retryMs;
  }

  /** The last event id the stream set, `''` before any. */
  get lastEventId(): string {
    return this.#lastEventId;
  }

  /** Feeds the next piece of the stream; returns the messages it completed, in order. */
  push(chunk: string): SseMessage[] {
    let text = chunk;
    if (!this.#started && text.length > 0) {
      this.#started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.#skipLeadingLf && text.length > 0) {
      if (text.startsWith('\n')) text = text.slice(1);
      this.#skipLeadingLf = false;
    }
    this.#buffer += text;
    const messages: SseMessage[] = [];
    let lineStart = 0;
    LINE_END.lastIndex = 0;
    for (let match = LINE_END.exec(this.#buffer); match; match = LINE_END.exec(this.#buffer)) {
      const atEnd = match.index + match[0].length === this.#buffer.length;
      if (match[0] === '\r' && atEnd) this.#skipLeadingLf = true;
      const message = this.#processLine(this.#buffer.slice(lineStart, match.index));
      if (message) messages.push(message);
      lineStart = match.index + match[0].length;
    }
    this.#buffer = this.#buffer.slice(lineStart);
    return messages;
  }

  #processLine(line: string): SseMessage | undefined {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.#eventType = value;
        break;
      case 'data':
        this.#data += `${value}\n`;
        break;
      case 'id':
        if (!value.includes('\0')) this.#lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.#retryMs = Number(value);
        break;
      default:
      // Unknown fields are ignored, as the standard requires.
    }
    return undefined;
  }

  #dispatch(): SseMessage | undefined {
    const data = this.#data;
    const event = this.#eventType;
    this.#data = '';
    this.#eventType = '';
    if (data === '') return undefined;
    return {
      event: event === '' ? 'message' : event,
      data: data.slice(0, -1),
      lastEventId: this.#lastEventId,
    };
  }
}
