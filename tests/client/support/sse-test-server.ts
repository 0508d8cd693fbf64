/**
 * A bare HTTP server that answers each request with a handler of the test's choosing, and records
 * every connection: its request headers, and when the client closed it. The app cannot tell a test
 * when a client went away; this server can, so tests of aborting and of early exits use it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WorkflowEvent } from '../../../src/core/events';

/** One request the server received. */
export interface TestConnection {
  headers: IncomingMessage['headers'];
  /** Resolves once the connection is closed (by either side). */
  closed: Promise<void>;
}

export interface SseTestServer {
  /** `http://127.0.0.1:<port>`: a HandoffClient `baseUrl`. */
  baseUrl: string;
  connections: TestConnection[];
  close(): Promise<void>;
}

/** Answers the `index`-th request (0-based). */
export type TestHandler = (request: IncomingMessage, response: ServerResponse, index: number) => void;

export async function startSseTestServer(handler: TestHandler): Promise<SseTestServer> {
  const connections: TestConnection[] = [];
  const server: Server = createServer((request, response) => {
    const closed = new Promise<void>((resolve) => response.once('close', () => resolve()));
    connections.push({ headers: request.headers, closed });
    handler(request, response, connections.length - 1);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Starts an SSE answer. */
export function openEventStream(response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  response.flushHeaders();
}

/** Writes an event the way the app's events endpoint does. */
export function writeEvent(response: ServerResponse, event: WorkflowEvent): void {
  response.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}

const TIMESTAMP = '2026-01-01T00:00:00.000Z';

/** A `started` event with the given seq. */
export function startedEvent(seq: number): WorkflowEvent {
  return {
    type: 'started',
    seq,
    timestamp: TIMESTAMP,
    workflow: 'customer_support',
    version: 'v1',
    mode: 'autonomous',
    startAgent: 'coordinator_agent',
  };
}

/** An `executor_invoked` event with the given seq. */
export function invokedEvent(seq: number, executorId: string): WorkflowEvent {
  return { type: 'executor_invoked', seq, timestamp: TIMESTAMP, executorId };
}

/** An `output` event with the given seq. */
export function outputEvent(seq: number): WorkflowEvent {
  return {
    type: 'output',
    seq,
    timestamp: TIMESTAMP,
    stopReason: 'terminated_by_condition',
    conversation: [{ role: 'user', authorName: 'user', text: 'I never received my order #12345' }],
  };
}
