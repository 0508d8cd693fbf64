import { createParser, type EventSourceMessage } from 'eventsource-parser';

/**
 * The messages of an SSE response body, as they arrive, parsed by `eventsource-parser` (the HTML
 * standard's rules; a message the stream ends in the middle of is never delivered). Bytes are
 * decoded as streaming UTF-8, so a character split between two network chunks is decoded whole.
 * Leaving the loop early cancels the body, which closes the connection.
 */
export async function* readSse(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<EventSourceMessage, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  const parsed: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (message) => parsed.push(message) });
  let done = false;
  try {
    while (!done) {
      const chunk = await reader.read();
      done = chunk.done;
      parser.feed(done ? decoder.decode() : decoder.decode(chunk.value, { stream: true }));
      yield* parsed.splice(0);
    }
  } finally {
    // The consumer stopped early (or reading failed): release the connection. Cancelling an
    // already failed body rejects, and there is nothing left to do about it.
    if (!done) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
