import type { ServerResponse } from 'node:http';
import { HandoffClient } from '../../src/client/handoff-client';
import { HandoffApiError } from '../../src/client/handoff-api-error';
import type { WorkflowEvent } from '../../src/core/events';
import {
  invokedEvent,
  openEventStream,
  outputEvent,
  startSseTestServer,
  startedEvent,
  writeEvent,
  type SseTestServer,
} from './support/sse-test-server';

const RUN = { workflow: 'customer_support', runId: 'run-1', token: 'dh1.token' };

/** Drains a stream; resolves with its events, or rejects as it does. */
async function drain(stream: AsyncIterable<WorkflowEvent>): Promise<WorkflowEvent[]> {
  const events: WorkflowEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe('runStream and its connection', () => {
  let server: SseTestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('closes the connection and rejects with the reason when its signal aborts mid-stream', async () => {
    server = await startSseTestServer((_request, response) => {
      openEventStream(response);
      writeEvent(response, startedEvent(1));
      // ...and the run goes on, the stream stays open.
    });
    const client = new HandoffClient({ baseUrl: server.baseUrl });
    const controller = new AbortController();
    const seen: number[] = [];
    const outcome = (async () => {
      for await (const event of client.runStream(RUN, { signal: controller.signal })) {
        seen.push(event.seq);
        controller.abort(new Error('the user closed the page'));
      }
    })();
    await expect(outcome).rejects.toThrow('the user closed the page');
    await server.connections[0]!.closed;
    expect(seen).toEqual([1]);
  });

  it('closes the connection when the caller stops iterating early', async () => {
    server = await startSseTestServer((_request, response) => {
      openEventStream(response);
      writeEvent(response, startedEvent(1));
      writeEvent(response, invokedEvent(2, 'input-conversation'));
    });
    const client = new HandoffClient({ baseUrl: server.baseUrl });
    for await (const event of client.runStream(RUN)) {
      expect(event.seq).toBe(1);
      break;
    }
    await server.connections[0]!.closed;
    expect(server.connections).toHaveLength(1);
  });

  it('sends the token, asks for text/event-stream, and resumes after `after` with Last-Event-ID', async () => {
    server = await startSseTestServer((_request, response) => {
      openEventStream(response);
      writeEvent(response, outputEvent(8));
      response.end();
    });
    const client = new HandoffClient({ baseUrl: server.baseUrl });
    const events = await drain(client.runStream(RUN, { after: 7 }));
    expect(events.map((e) => e.type)).toEqual(['output']);
    expect(server.connections[0]!.headers).toMatchObject({
      accept: 'text/event-stream',
      authorization: 'Bearer dh1.token',
      'last-event-id': '7',
    });
  });

  it('retries after a 503 answer and then follows the stream', async () => {
    server = await startSseTestServer((_request, response, index) => {
      if (index === 0) {
        response.writeHead(503, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { code: 'internal_error', message: 'warming up' } }));
        return;
      }
      openEventStream(response);
      writeEvent(response, startedEvent(1));
      writeEvent(response, outputEvent(2));
      response.end();
    });
    const client = new HandoffClient({ baseUrl: server.baseUrl });
    const events = await drain(client.runStream(RUN, { reconnect: { initialDelayMs: 1 } }));
    expect(events.map((e) => e.seq)).toEqual([1, 2]);
    expect(server.connections).toHaveLength(2);
  });

  it('skips events of types it does not know, so a newer server does not break it', async () => {
    server = await startSseTestServer((_request, response) => {
      openEventStream(response);
      writeEvent(response, startedEvent(1));
      response.write('id: 2\nevent: agent_thought\ndata: {"type":"agent_thought","seq":2}\n\n');
      writeEvent(response, outputEvent(3));
      response.end();
    });
    const client = new HandoffClient({ baseUrl: server.baseUrl });
    expect((await drain(client.runStream(RUN))).map((e) => e.seq)).toEqual([1, 3]);
  });

  it('fails with invalid_response on an event of a known type that does not fit its schema', async () => {
    server = await startSseTestServer((_request, response) => {
      openEventStream(response);
      response.write('id: 1\nevent: executor_invoked\ndata: {"type":"executor_invoked","seq":1}\n\n');
    });
    const client = new HandoffClient({ baseUrl: server.baseUrl });
    const error: unknown = await drain(client.runStream(RUN)).catch((reason: unknown) => reason);
    expect(HandoffApiError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'invalid_response' });
    expect((error as Error).message).toContain('executorId');
  });

  it('reads the JSON log when the server ends a stream early, and ends when the run is over', async () => {
    server = await startSseTestServer((request, response) => {
      if (request.headers.accept === 'text/event-stream') {
        openEventStream(response);
        writeEvent(response, startedEvent(1));
        response.end();
        return;
      }
      // The run ended without an output event (terminated from outside the API).
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ events: [invokedEvent(2, 'input-conversation')], state: 'terminated' }));
    });
    const client = new HandoffClient({ baseUrl: server.baseUrl });
    const events = await drain(client.runStream(RUN));
    expect(events.map((e) => e.seq)).toEqual([1, 2]);
    expect(server.connections.map((c) => c.headers.accept)).toEqual([
      'text/event-stream',
      'application/json',
    ]);
  });

  it('gives up after maxAttempts failed connections in a row, saying where to resume', async () => {
    server = await startSseTestServer((request) => request.socket.destroy());
    const client = new HandoffClient({ baseUrl: server.baseUrl });
    const stream = client.runStream(RUN, { after: 7, reconnect: { maxAttempts: 3, initialDelayMs: 1 } });
    const error: unknown = await drain(stream).catch((reason: unknown) => reason);

    expect(HandoffApiError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'connection_failed', status: 0 });
    expect((error as Error).message).toContain("Gave up following run 'run-1' after 3 failed attempts");
    expect((error as Error).message).toContain('runStream(run, { after: 7 })');
    expect(server.connections).toHaveLength(3);
  });

  it('tells where its connection stands: connecting, live, reconnecting after a drop, live again', async () => {
    let first: ServerResponse | undefined;
    server = await startSseTestServer((_request, response, index) => {
      openEventStream(response);
      if (index === 0) {
        first = response;
        writeEvent(response, startedEvent(1));
        return;
      }
      writeEvent(response, outputEvent(2));
      response.end();
    });
    const client = new HandoffClient({ baseUrl: server.baseUrl });
    const states: string[] = [];
    const seen: number[] = [];
    for await (const event of client.runStream(RUN, {
      reconnect: { initialDelayMs: 1 },
      onConnection: (state) => states.push(state),
    })) {
      seen.push(event.seq);
      // The network drops once the first event has arrived.
      if (event.seq === 1) first?.socket?.destroy();
    }
    expect(seen).toEqual([1, 2]);
    expect(states).toEqual(['connecting', 'live', 'reconnecting', 'reconnecting', 'live']);
  });
});
