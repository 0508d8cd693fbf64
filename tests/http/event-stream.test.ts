import type { WorkflowEvent } from '../../src/core/events';
import type { TurnPreview } from '../../src/durable/preview/turn-preview';
import { LivePreviewChannel } from '../../src/durable/preview/live-preview-channel';
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
        read: (after) => Promise.resolve({ events: store.filter((e) => e.seq > after) }),
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
          return Promise.resolve({ events: store.filter((e) => e.seq > after) });
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
        read: () => Promise.resolve({ events: [] }),
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
        return Promise.resolve({ events: [] });
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
          return Promise.resolve({ events: [] });
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

  describe('answer previews', () => {
    const preview = (text: string, attempt = 1, firstSeq = 3): TurnPreview => ({
      firstSeq,
      agent: 'shipping_agent',
      turn: 2,
      attempt,
      text,
    });
    /** The SSE messages of `text`: each data line parsed, with whether the message had an id line. */
    const messagesOf = (text: string) =>
      text
        .split('\n\n')
        .filter((block) => block.includes('data: '))
        .map((block) => ({
          id: /^id: (\d+)$/m.exec(block)?.[1],
          data: JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as {
            type: string;
            delta?: string;
            attempt?: number;
          },
        }));

    it('sends the stored preview as agent_response_delta messages without an id, then the answer that supersedes it', async () => {
      // Poll by poll: the events before the turn, the preview growing (and read twice unchanged),
      // then the turn's events with the preview still stored, then the output.
      const polls: Array<{ events: WorkflowEvent[]; preview?: TurnPreview }> = [
        { events: [event(1), event(2)] },
        { events: [], preview: preview('Your package') },
        { events: [], preview: preview('Your package') },
        { events: [], preview: preview('Your package ships today.') },
        { events: [event(3), event(4)], preview: preview('Your package ships today.') },
        { events: [event(5, 'output')] },
      ];
      let poll = 0;
      const text = await readAll(
        createEventStream({
          after: 0,
          pollMs: 1,
          read: () => Promise.resolve(polls[Math.min(poll++, polls.length - 1)]!),
          isFinished: () => Promise.resolve(false),
        }),
      );
      const messages = messagesOf(text);
      expect(messages.map((m) => (m.id === undefined ? m.data.delta : Number(m.id)))).toEqual([
        1,
        2,
        'Your package',
        ' ships today.',
        3,
        4,
        5,
      ]);
      expect(messages[2]!.data).toEqual({
        type: 'agent_response_delta',
        agent: 'shipping_agent',
        turn: 2,
        attempt: 1,
        delta: 'Your package',
      });
    });

    it('restarts the preview from its start when a later attempt of the turn writes', async () => {
      const polls: Array<{ events: WorkflowEvent[]; preview?: TurnPreview }> = [
        { events: [event(1), event(2)], preview: preview('Your pack') },
        { events: [], preview: preview('Your package is', 2) },
        { events: [], preview: preview('Your pack') }, // a stale copy of attempt 1 changes nothing
        { events: [event(3), event(4, 'output')] },
      ];
      let poll = 0;
      const text = await readAll(
        createEventStream({
          after: 0,
          pollMs: 1,
          read: () => Promise.resolve(polls[Math.min(poll++, polls.length - 1)]!),
          isFinished: () => Promise.resolve(false),
        }),
      );
      const deltas = messagesOf(text).filter((m) => m.data.type === 'agent_response_delta');
      expect(deltas.map((m) => [m.data.attempt, m.data.delta])).toEqual([
        [1, 'Your pack'],
        [2, 'Your package is'],
      ]);
    });

    it('sends previews published in process at once, each piece once, after reading the events before them', async () => {
      const channel = new LivePreviewChannel();
      const stored: WorkflowEvent[] = [event(1)];
      const stream = createEventStream({
        after: 0,
        // One long poll: what follows the first read comes from the channel, or is read because a
        // preview asked for it.
        pollMs: 60_000,
        read: (after) => Promise.resolve({ events: stored.filter((e) => e.seq > after) }),
        isFinished: () => Promise.resolve(false),
        subscribePreviews: (listener) => channel.subscribe('run-1', listener),
      });
      const reader = stream.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const readUntil = async (pattern: RegExp): Promise<void> => {
        while (!pattern.test(text)) {
          const chunk = await reader.read();
          if (chunk.done) throw new Error(`the stream ended before ${String(pattern)}: ${text}`);
          text += decoder.decode(chunk.value);
        }
      };
      await readUntil(/^id: 1$/m);
      // The turn stored its input event (seq 2), then the model wrote: seq 2 is read before the preview.
      stored.push(event(2));
      channel.publish('run-1', preview('Your'));
      await readUntil(/"delta":"Your"/);
      channel.publish('run-1', preview('Your package'));
      channel.publish('run-1', preview('Your package'));
      channel.publish('run-1', preview('Your package ships.'));
      await readUntil(/ships\./);
      await reader.cancel();
      expect(messagesOf(text).map((m) => (m.id === undefined ? m.data.delta : Number(m.id)))).toEqual([
        1,
        2,
        'Your',
        ' package',
        ' ships.',
      ]);
      expect(channel.runsListened).toBe(0);
    });

    it('stops listening to the channel when the run ends', async () => {
      const channel = new LivePreviewChannel();
      await readAll(
        createEventStream({
          after: 0,
          pollMs: 1,
          read: () => Promise.resolve({ events: [event(1, 'output')] }),
          isFinished: () => Promise.resolve(false),
          subscribePreviews: (listener) => channel.subscribe('run-1', listener),
        }),
      );
      expect(channel.runsListened).toBe(0);
    });
  });
});
