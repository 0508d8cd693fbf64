import type { ServerResponse } from 'node:http';
import { HandoffClient } from '../../src/client/handoff-client';
import type { RunStreamItem } from '../../src/client/follow-run';
import type { AgentResponseDelta } from '../../src/core/response-delta';
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

function writeDelta(response: ServerResponse, delta: string, attempt = 1): void {
  const message: AgentResponseDelta = {
    type: 'agent_response_delta',
    agent: 'shipping_agent',
    turn: 2,
    attempt,
    delta,
  };
  response.write(`data: ${JSON.stringify(message)}\n\n`);
}

function label(item: RunStreamItem): string {
  return item.type === 'agent_response_delta' ? `${item.attempt}:${item.delta}` : String(item.seq);
}

describe('runStream with deltas', () => {
  let server: SseTestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('yields the answer previews typed, between the events, and skips them unless asked', async () => {
    server = await startSseTestServer((_request, response) => {
      openEventStream(response);
      writeEvent(response, startedEvent(1));
      writeDelta(response, 'Your');
      writeDelta(response, ' package');
      writeDelta(response, 'Your package ships', 2);
      writeEvent(response, outputEvent(2));
      response.end();
    });
    const client = new HandoffClient({ baseUrl: server.baseUrl });

    const withDeltas: string[] = [];
    for await (const item of client.runStream(RUN, { deltas: true })) withDeltas.push(label(item));
    const without: number[] = [];
    for await (const event of client.runStream(RUN)) without.push(event.seq);

    expect(withDeltas).toEqual(['1', '1:Your', '1: package', '2:Your package ships', '2']);
    expect(without).toEqual([1, 2]);
  });

  it('passes on only new text when a reconnected stream sends the preview from its start', async () => {
    server = await startSseTestServer((_request, response, index) => {
      openEventStream(response);
      if (index === 0) {
        writeEvent(response, startedEvent(1));
        writeEvent(response, invokedEvent(2, 'shipping_agent'));
        writeDelta(response, 'Your');
        writeDelta(response, ' package');
        response.socket?.end(); // the connection drops mid-answer (what was written arrives)
        return;
      }
      // The server sends the preview so far on a new connection, then what is added.
      writeDelta(response, 'Your package');
      writeDelta(response, ' ships today.');
      writeEvent(response, outputEvent(3));
      response.end();
    });
    const client = new HandoffClient({ baseUrl: server.baseUrl });

    const items: string[] = [];
    for await (const item of client.runStream(RUN, {
      deltas: true,
      reconnect: { initialDelayMs: 1, maxDelayMs: 1 },
    })) {
      items.push(label(item));
    }

    expect(items).toEqual(['1', '2', '1:Your', '1: package', '1: ships today.', '3']);
    expect(server.connections[1]!.headers['last-event-id']).toBe('2');
  });
});
