import type { EventSourceMessage } from 'eventsource-parser';
import { readSse } from '../../src/client/read-sse';
import { sseFrame } from '../../src/http/event-stream';
import type { WorkflowEvent } from '../../src/core/events';

const encoder = new TextEncoder();

function byteStream(chunks: readonly Uint8Array[], onCancel?: () => void): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
    cancel() {
      onCancel?.();
    },
  });
}

async function collect(stream: AsyncIterable<EventSourceMessage>): Promise<EventSourceMessage[]> {
  const messages: EventSourceMessage[] = [];
  for await (const message of stream) messages.push(message);
  return messages;
}

const T = '2026-11-24T09:00:00.000Z';
const events: WorkflowEvent[] = [
  { type: 'started', seq: 1, timestamp: T, workflow: 'w', version: 'v', mode: 'autonomous', startAgent: 'a' },
  { type: 'executor_invoked', seq: 2, timestamp: T, executorId: 'a' },
];
// What the events endpoint writes: the retry hint, frames, a keep-alive comment.
const SERVER_STREAM = `retry: 2000\n\n${sseFrame(events[0]!)}: keep-alive\n\n${sseFrame(events[1]!)}`;

describe('readSse', () => {
  it("reads the event endpoint's frames (id = seq, data = the event) wherever the stream is cut", async () => {
    const expected = events.map((event) => ({ id: String(event.seq), data: JSON.stringify(event) }));
    const bytes = encoder.encode(SERVER_STREAM);
    for (let cut = 0; cut <= bytes.length; cut += 7) {
      const messages = await collect(readSse(byteStream([bytes.slice(0, cut), bytes.slice(cut)])));
      expect(messages.map(({ id, data }) => ({ id, data }))).toEqual(expected);
    }
  });

  it('decodes multi-byte characters split between network chunks', async () => {
    const bytes = encoder.encode('data: Coordinator → Specialists ✅ 📦\n\n');
    const arrow = bytes.indexOf(0xe2); // the first byte of "→"
    const parcel = bytes.indexOf(0xf0); // the first byte of the 4-byte "📦"
    const chunks = [bytes.slice(0, arrow + 1), bytes.slice(arrow + 1, parcel + 2), bytes.slice(parcel + 2)];
    const [message] = await collect(readSse(byteStream(chunks)));
    expect(message?.data).toBe('Coordinator → Specialists ✅ 📦');
  });

  it('cancels the body when the consumer stops reading, which closes the connection', async () => {
    let cancelled = false;
    const stream = byteStream([encoder.encode('data: 1\n\n'), encoder.encode('data: 2\n\n')], () => {
      cancelled = true;
    });
    for await (const message of readSse(stream)) {
      expect(message.data).toBe('1');
      break;
    }
    expect(cancelled).toBe(true);
  });

  it('ends when the body ends, dropping an unfinished message', async () => {
    const stream = byteStream([encoder.encode('data: whole\n\ndata: half')]);
    expect((await collect(readSse(stream))).map((message) => message.data)).toEqual(['whole']);
  });
});
