import type { WorkflowEvent } from '../../src/core/events';
import { createEventStream } from '../../src/http/event-stream';

const at = '2026-11-24T10:00:00.000Z';
const event = (seq: number, type: 'warning' | 'output' = 'warning'): WorkflowEvent =>
  type === 'output'
    ? { type: 'output', seq, timestamp: at, conversation: [], stopReason: 'turn_limit' }
    : { type: 'warning', seq, timestamp: at, code: 'x', message: `event ${seq}` };

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe('createEventStream', () => {
  it('sends the events after the cursor, in order, and ends after the output event', async () => {
    const store = [event(1), event(2), event(3), event(4, 'output')];
    const text = await readAll(
      createEventStream({
        after: 1,
        pollMs: 1,
        read: (after) => Promise.resolve(store.filter((e) => e.seq > after)),
        isFinished: () => Promise.resolve(false),
      }),
    );
    expect([...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]))).toEqual([2, 3, 4]);
    expect(text).toContain('"type":"output"');
    expect(text).not.toContain('event:');
  });

  it('follows new events as they are stored and stops when the run is over without an output event', async () => {
    const store: WorkflowEvent[] = [];
    let reads = 0;
    const text = await readAll(
      createEventStream({
        after: 0,
        pollMs: 1,
        read: (after) => {
          reads += 1;
          if (reads === 3) store.push(event(1));
          return Promise.resolve(store.filter((e) => e.seq > after));
        },
        isFinished: () => Promise.resolve(reads > 5),
        finishedCheckMs: 0,
      }),
    );
    expect([...text.matchAll(/^id: (\d+)$/gm)].map((m) => m[1])).toEqual(['1']);
  });

  it('ends after its maximum duration so the client reconnects', async () => {
    const text = await readAll(
      createEventStream({
        after: 0,
        pollMs: 1,
        maxDurationMs: 30,
        read: () => Promise.resolve([]),
        isFinished: () => Promise.resolve(false),
      }),
    );
    expect(text.startsWith('retry: 2000')).toBe(true);
  });

  it('stops polling when the reader cancels', async () => {
    let reads = 0;
    const stream = createEventStream({
      after: 0,
      pollMs: 1,
      read: () => {
        reads += 1;
        return Promise.resolve([]);
      },
      isFinished: () => Promise.resolve(false),
    });
    const reader = stream.getReader();
    await reader.read();
    await reader.cancel();
    const afterCancel = reads;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reads - afterCancel).toBeLessThanOrEqual(1);
  });

  it('checks whether a quiet run is over on the first quiet poll, then at most every finishedCheckMs', async () => {
    let clock = 0;
    let reads = 0;
    const checkedAt: number[] = [];
    const text = await readAll(
      createEventStream({
        after: 0,
        pollMs: 1,
        finishedCheckMs: 5_000,
        heartbeatMs: 60_000,
        now: () => clock,
        read: () => {
          reads += 1;
          clock += 1_000; // each poll, one second later
          return Promise.resolve([]);
        },
        isFinished: () => {
          checkedAt.push(clock);
          return Promise.resolve(clock >= 12_000);
        },
      }),
    );
    expect(text).toBe('retry: 2000\n\n');
    expect(checkedAt).toEqual([1_000, 6_000, 11_000, 16_000]);
    expect(reads).toBe(17); // 16 polls, and the last read once the run is over
  });
});
