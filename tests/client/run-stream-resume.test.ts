import type { FetchFunction } from '../../src/client/api-transport';
import { HandoffClient } from '../../src/client/handoff-client';
import type { WorkflowEvent } from '../../src/core/events';
import { startAppHost, type AppHost } from '../support/app-host';
import { COORDINATOR_QUESTION, refundDialogueSteps } from './support/dialogues';
import { executorSequence, oneTo } from '../support/event-sequence';

/** What the dropping fetch saw of each SSE connection. */
interface SseConnection {
  lastEventId: string | null;
  /** The `id:` of every frame the server sent on it. */
  sentIds: number[];
  /** The `id:` of every frame passed on to the client (fewer than sent on a dropped connection). */
  passedIds: number[];
  /** Resolves when the server has finished the response (a dropped one is read to its end). */
  drained: Promise<void>;
}

/**
 * A real fetch that, on the first SSE connection, passes the first `dropAfter` frames to the client
 * and then fails the body as a dropped connection does. With `forgetLastEventId`, reconnections omit
 * `Last-Event-ID`, so the server replays the whole log.
 *
 * The server's side of a dropped connection is read to its end in the background (`drained`): the
 * Functions library does not cancel a streamed body when its client goes away, so a truly
 * abandoned stream would keep polling the run store after the test.
 */
function droppingFetch(dropAfter: number, options: { forgetLastEventId?: boolean } = {}) {
  const connections: SseConnection[] = [];
  const fetchFunction: FetchFunction = async (input, init) => {
    const headers = new Headers(init?.headers);
    if (headers.get('accept') !== 'text/event-stream') return fetch(input, init);
    let finish: () => void = () => undefined;
    const connection: SseConnection = {
      lastEventId: headers.get('last-event-id'),
      sentIds: [],
      passedIds: [],
      drained: new Promise<void>((resolve) => (finish = resolve)),
    };
    connections.push(connection);
    if (connections.length > 1 && options.forgetLastEventId) headers.delete('last-event-id');
    // The client's abort reaches the server until the drop; after it, the drain owns the response.
    const upstream = new AbortController();
    let dropped = false;
    init?.signal?.addEventListener('abort', () => {
      if (!dropped) upstream.abort(init.signal?.reason);
    });
    const response = await fetch(input, { ...init, headers, signal: upstream.signal });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const record = (text: string) => {
      connection.sentIds = [...text.matchAll(/id: (\d+)\n[^]*?\n\n/g)].map((m) => Number(m[1]));
    };
    const drainInBackground = async (text: string) => {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
        record((text += chunk.value));
      finish();
    };
    const encoder = new TextEncoder();
    const drop = connections.length === 1;
    let text = '';
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (dropped) {
          controller.error(new TypeError('terminated: the test dropped the connection'));
          return;
        }
        const chunk = await reader.read();
        if (chunk.done) {
          finish();
          controller.close();
          return;
        }
        const before = text.length;
        record((text += chunk.value));
        if (!drop || connection.sentIds.length < dropAfter) {
          connection.passedIds = connection.sentIds;
          controller.enqueue(encoder.encode(chunk.value));
          return;
        }
        // Pass the frames up to the cut, then fail on the next read.
        const cut = [...text.matchAll(/id: (\d+)\n[^]*?\n\n/g)][dropAfter - 1]!;
        connection.passedIds = connection.sentIds.slice(0, dropAfter);
        controller.enqueue(encoder.encode(text.slice(before, cut.index + cut[0].length)));
        dropped = true;
        void drainInBackground(text);
      },
      cancel: async (reason) => {
        await reader.cancel(reason);
        finish();
      },
    });
    return new Response(body, { status: response.status, headers: response.headers });
  };
  return { fetch: fetchFunction, connections };
}

describe('runStream across dropped connections', () => {
  let app: AppHost;

  beforeAll(async () => {
    app = await startAppHost();
  });
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(() => {
    app.model.reset();
    app.model.addSteps(...refundDialogueSteps());
  });

  /** Streams a refund dialogue to its end through `client`, answering both questions. */
  async function runDialogue(client: HandoffClient): Promise<WorkflowEvent[]> {
    const stream = client.runStream('customer_support', 'I have a problem with an order', {
      reconnect: { initialDelayMs: 10 },
    });
    const replies = ['I would like my money back', 'It is order #12345'];
    const events: WorkflowEvent[] = [];
    for await (const event of stream) {
      events.push(event);
      if (event.type === 'request_info') {
        await client.respond(await stream.run, replies.shift()!, { requestId: event.requestId });
      }
    }
    return events;
  }

  it('resumes with Last-Event-ID after the connection drops, delivering every event once', async () => {
    const dropping = droppingFetch(3);
    const client = new HandoffClient({ baseUrl: app.host.baseUrl, fetch: dropping.fetch });
    const events = await runDialogue(client);
    await Promise.all(dropping.connections.map((c) => c.drained));

    expect(dropping.connections.length).toBeGreaterThanOrEqual(2);
    expect(dropping.connections[0]).toMatchObject({ lastEventId: null, passedIds: [1, 2, 3] });
    expect(dropping.connections[1]?.lastEventId).toBe('3');
    expect(dropping.connections[1]?.sentIds[0]).toBe(4);
    expect(events.map((e) => e.seq)).toEqual(oneTo(events.length));
    expect(events.at(-1)).toMatchObject({ type: 'output', stopReason: 'terminated_by_condition' });
    expect(executorSequence(events).slice(0, 3)).toEqual([
      'started',
      'executor_invoked:input-conversation',
      'executor_completed:input-conversation',
    ]);
  });

  it('skips the events a server sends again after a reconnection, by seq', async () => {
    const dropping = droppingFetch(5, { forgetLastEventId: true });
    const client = new HandoffClient({ baseUrl: app.host.baseUrl, fetch: dropping.fetch });
    const events = await runDialogue(client);
    await Promise.all(dropping.connections.map((c) => c.drained));

    // The server did replay the log from the first event on the second connection...
    expect(dropping.connections[1]?.sentIds.slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
    // ...and the client still delivered each event exactly once.
    expect(events.map((e) => e.seq)).toEqual(oneTo(events.length));
    expect(events.filter((e) => e.type === 'request_info').map((e) => e.prompt)[0]).toBe(
      COORDINATOR_QUESTION,
    );
  });
});
