import { readSse } from '../../src/client/read-sse';
import { SseParser, type SseMessage } from '../../src/client/sse-parser';

/** Feeds `chunks` to a fresh parser and collects every message. */
function parseChunks(chunks: readonly string[]): SseMessage[] {
  const parser = new SseParser();
  return chunks.flatMap((chunk) => parser.push(chunk));
}

/** Every way to cut `text` into two chunks. */
function twoWaySplits(text: string): string[][] {
  return Array.from({ length: text.length + 1 }, (_, i) => [text.slice(0, i), text.slice(i)]);
}

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

async function collect(stream: AsyncIterable<SseMessage>): Promise<SseMessage[]> {
  const messages: SseMessage[] = [];
  for await (const message of stream) messages.push(message);
  return messages;
}

// Two frames as the events endpoint writes them, with the retry hint and a keep-alive comment.
const SERVER_STREAM =
  'retry: 2000\n\n' +
  'id: 1\nevent: started\ndata: {"type":"started","seq":1}\n\n' +
  ': keep-alive\n\n' +
  'id: 2\nevent: executor_invoked\ndata: {"type":"executor_invoked","seq":2,"executorId":"coordinator_agent"}\n\n';

const SERVER_MESSAGES: SseMessage[] = [
  { event: 'started', data: '{"type":"started","seq":1}', lastEventId: '1' },
  {
    event: 'executor_invoked',
    data: '{"type":"executor_invoked","seq":2,"executorId":"coordinator_agent"}',
    lastEventId: '2',
  },
];

describe('SseParser', () => {
  it('reads the frames the events endpoint writes: id, event type and JSON data', () => {
    const parser = new SseParser();
    expect(parser.push(SERVER_STREAM)).toEqual(SERVER_MESSAGES);
    expect(parser.retryMs).toBe(2000);
    expect(parser.lastEventId).toBe('2');
  });

  it('gives the same messages wherever the stream is cut into two chunks', () => {
    for (const chunks of twoWaySplits(SERVER_STREAM)) {
      expect(parseChunks(chunks)).toEqual(SERVER_MESSAGES);
    }
  });

  it('gives the same messages when the stream arrives one character at a time', () => {
    expect(parseChunks([...SERVER_STREAM])).toEqual(SERVER_MESSAGES);
  });

  it('treats a CRLF split between two chunks as one line end, not as an empty line that dispatches early', () => {
    const text = 'data: first line\r\ndata: second line\r\n\r\nid: 7\r\ndata: next\r\n\r\n';
    const expected: SseMessage[] = [
      { event: 'message', data: 'first line\nsecond line', lastEventId: '' },
      { event: 'message', data: 'next', lastEventId: '7' },
    ];
    for (const chunks of twoWaySplits(text)) {
      expect(parseChunks(chunks)).toEqual(expected);
    }
    expect(parseChunks([...text])).toEqual(expected);
  });

  it('accepts lone CR line ends, even when a chunk ends right after one', () => {
    expect(parseChunks(['event: a\rdata: 1\r', '\r', 'data: 2\r\r'])).toEqual([
      { event: 'a', data: '1', lastEventId: '' },
      { event: 'message', data: '2', lastEventId: '' },
    ]);
  });

  it('removes exactly one space after the colon and joins data lines with a newline', () => {
    expect(parseChunks(['data:  indented\ndata:no space\ndata\n\n'])).toEqual([
      { event: 'message', data: ' indented\nno space\n', lastEventId: '' },
    ]);
  });

  it('dispatches nothing for a block without data, and an empty string for an empty data line', () => {
    expect(parseChunks(['event: ping\nid: 3\n\n', 'data:\n\n'])).toEqual([
      { event: 'message', data: '', lastEventId: '3' },
    ]);
  });

  it('keeps the last event id across messages and ignores an id containing NUL', () => {
    expect(
      parseChunks(['id: 5\ndata: a\n\n', 'data: b\n\n', 'id: 6\0x\ndata: c\n\n', 'id\ndata: d\n\n']),
    ).toEqual([
      { event: 'message', data: 'a', lastEventId: '5' },
      { event: 'message', data: 'b', lastEventId: '5' },
      { event: 'message', data: 'c', lastEventId: '5' },
      { event: 'message', data: 'd', lastEventId: '' },
    ]);
  });

  it('ignores comments, unknown fields and a retry value that is not all digits', () => {
    const parser = new SseParser();
    expect(parser.push(': hello\nfoo: bar\nretry: 12x\ndata: kept\n\n')).toEqual([
      { event: 'message', data: 'kept', lastEventId: '' },
    ]);
    expect(parser.retryMs).toBeUndefined();
  });

  it('never dispatches a message the stream ends in the middle of', () => {
    const parser = new SseParser();
    expect(parser.push('id: 9\nevent: output\ndata: {"seq":9')).toEqual([]);
    expect(parser.push('}\n')).toEqual([]);
  });

  it('strips a byte order mark at the start of the stream only; later, one makes the field unknown', () => {
    expect(parseChunks(['\uFEFF', 'data: a\n\n', '\uFEFFdata: b\n\n', 'data: c\n\n'])).toEqual([
      { event: 'message', data: 'a', lastEventId: '' },
      { event: 'message', data: 'c', lastEventId: '' },
    ]);
  });
});

describe('readSse', () => {
  it('decodes multi-byte characters split between network chunks', async () => {
    const bytes = new TextEncoder().encode('data: Coordinator → Specialists ✅ 📦\n\n');
    const arrow = bytes.indexOf(0xe2); // the first byte of "→"
    const parcel = bytes.indexOf(0xf0); // the first byte of the 4-byte "📦"
    const chunks = [bytes.slice(0, arrow + 1), bytes.slice(arrow + 1, parcel + 2), bytes.slice(parcel + 2)];
    expect(await collect(readSse(byteStream(chunks)))).toEqual([
      { event: 'message', data: 'Coordinator → Specialists ✅ 📦', lastEventId: '' },
    ]);
  });

  it('cancels the body when the consumer stops reading, which closes the connection', async () => {
    let cancelled = false;
    const encoder = new TextEncoder();
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
    const encoder = new TextEncoder();
    const stream = byteStream([encoder.encode('data: whole\n\ndata: half')]);
    expect(await collect(readSse(stream))).toEqual([{ event: 'message', data: 'whole', lastEventId: '' }]);
  });
});
