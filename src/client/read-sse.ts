import { SseParser, type SseMessage } from './sse-parser';

/**
 * The messages of an SSE response body, as they arrive. Bytes are decoded as streaming UTF-8, so a
 * character split between two network chunks is decoded whole. Leaving the loop early cancels the
 * body, which closes the connection.
 */
export async function* readSse(
  body: ReadableStream<Uint8Array>,
  parser: SseParser = new SseParser(),
): AsyncGenerator<SseMessage, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  let done = false;
  try {
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) {
        done = true;
        yield* parser.push(decoder.decode());
        return;
      }
      yield* parser.push(decoder.decode(chunk.value, { stream: true }));
    }
  } finally {
    if (!done) {
      // The consumer stopped early (or reading failed): release the connection. Cancelling an
      // already failed body rejects, and there is nothing left to do about it.
      await reader.cancel().catch(() => undefined);
    }
    reader.releaseLock();
  }
}
