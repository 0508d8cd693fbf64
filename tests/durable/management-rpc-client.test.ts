/**
 * The direct management API client against durable-functions' own client, on one scripted server:
 * the same requests (method, path, query, content type, body, trace context) and, for every answer
 * the extension gives, the same results and the same errors.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { InvocationContext } from '@azure/functions';
import { context as otelContext, propagation, trace, type TextMapPropagator } from '@opentelemetry/api';
import { StackContextManager } from '@opentelemetry/sdk-trace';
import { clientBindingPayload } from '../../devhost/durable/management/management-urls';
import { durableClient } from '../../src/durable/durable-functions-sdk';
import { ManagementRpcClient, managementRpcClientOf } from '../../src/durable/management-rpc-client';
import { durableClientInput } from '../../src/functions/durable-bindings';
import {
  directRunClient,
  durableFunctionsRunClient,
  durableRunClient,
  type RunManagementClient,
} from '../../src/http/run-management-client';

interface Recorded {
  method: string;
  url: string;
  contentType: string | undefined;
  traceparent: string | undefined;
  body: string;
}

interface Answer {
  status: number;
  body?: string;
}

/** A server that records each request and answers with the next scripted answer. */
class ScriptedExtension {
  readonly requests: Recorded[] = [];
  readonly #answers: Answer[] = [];
  readonly #server: Server;

  constructor() {
    this.#server = createServer((request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.requests.push({
          method: request.method ?? '',
          url: request.url ?? '',
          contentType: request.headers['content-type'],
          traceparent: request.headers.traceparent as string | undefined,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        const answer = this.#answers.shift() ?? { status: 599, body: 'no answer scripted' };
        response.statusCode = answer.status;
        if (answer.body !== undefined) response.setHeader('content-type', 'application/json; charset=utf-8');
        response.end(answer.body ?? '');
      });
    });
  }

  listen(): Promise<string> {
    return new Promise((resolve) =>
      this.#server.listen(0, '127.0.0.1', () => {
        resolve(`http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`);
      }),
    );
  }

  /** Answers the next two requests (one per client) with `answer`. */
  twice(answer: Answer): void {
    this.#answers.push(answer, answer);
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

function invocation(origin: string): InvocationContext {
  const input = durableClientInput();
  const context = new InvocationContext({
    functionName: 'getRunStatus',
    options: { trigger: { type: 'httpTrigger', name: 'request' }, extraInputs: [input], extraOutputs: [] },
  });
  context.extraInputs.set(input, JSON.parse(clientBindingPayload(origin, 'Hub')));
  return context;
}

/** What a call came to: its value, or its error's message. */
async function outcome(call: () => Promise<unknown>): Promise<{ value?: unknown; error?: string }> {
  try {
    return { value: await call() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const STATUS = {
  name: 'handoffOrchestrator',
  instanceId: 'run-1',
  runtimeStatus: 'Running',
  input: { plan: { workflow: 'support' } },
  customStatus: { workflow: 'support', turn: 2 },
  output: null,
  createdTime: '2026-12-05T08:00:00Z',
  lastUpdatedTime: '2026-12-05T08:00:03Z',
};

describe('the direct management API client, against durable-functions client', () => {
  const extension = new ScriptedExtension();
  let origin: string;
  let ours: RunManagementClient;
  let theirs: RunManagementClient;

  beforeAll(async () => {
    origin = await extension.listen();
    const context = invocation(origin);
    const direct = managementRpcClientOf(context);
    expect(direct).toBeDefined();
    ours = directRunClient(direct!);
    theirs = durableFunctionsRunClient(durableClient(context));
  });

  afterAll(() => extension.close());

  beforeEach(() => {
    extension.requests.length = 0;
  });

  /** Runs `call` on both clients (durable-functions' first) and returns both outcomes and requests. */
  async function both(call: (client: RunManagementClient) => Promise<unknown>) {
    const expected = await outcome(() => call(theirs));
    const actual = await outcome(() => call(ours));
    const [theirRequest, ourRequest] = extension.requests;
    return { expected, actual, theirRequest: theirRequest!, ourRequest: ourRequest! };
  }

  it('is what durableRunClient uses when the binding names rpcBaseUrl', () => {
    const context = invocation(origin);
    expect(managementRpcClientOf(context)).toBe(managementRpcClientOf(invocation(origin)));
    expect(durableRunClient(context)).toEqual(expect.objectContaining({ getStatus: expect.any(Function) }));
    const withoutRpc = invocation(origin);
    const data = withoutRpc.extraInputs.get(withoutRpc.options.extraInputs[0]!) as Record<string, unknown>;
    delete data.rpcBaseUrl;
    expect(managementRpcClientOf(withoutRpc)).toBeUndefined();
    delete data.managementUrls;
    expect(managementRpcClientOf(withoutRpc)).toBeUndefined();
  });

  it.each([
    ['a running instance (202)', { status: 202, body: JSON.stringify(STATUS) }],
    [
      'a finished instance (200)',
      {
        status: 200,
        body: JSON.stringify({ ...STATUS, runtimeStatus: 'Completed', output: { state: 'completed' } }),
      },
    ],
    [
      'a 400 with a status',
      { status: 400, body: JSON.stringify({ ...STATUS, runtimeStatus: 'Failed', output: 'boom' }) },
    ],
    ['a missing instance (404)', { status: 404 }],
    ['a 404 with details', { status: 404, body: '{"Message":"gone"}' }],
    ['an empty 202', { status: 202 }],
    ['a status without its name', { status: 200, body: JSON.stringify({ ...STATUS, name: undefined }) }],
    [
      'a server error (500)',
      { status: 500, body: '{"Message":"Something went wrong while processing your request"}' },
    ],
    ['a text error (503)', { status: 503, body: 'Service Unavailable' }],
  ])('reads a status with its input as durable-functions does: %s', async (_name, answer) => {
    extension.twice(answer);
    const { expected, actual, theirRequest, ourRequest } = await both((client) =>
      client.getStatus('run-1', { showInput: true }),
    );
    expect(actual).toEqual(expected);
    expect(ourRequest).toEqual(theirRequest);
    expect(ourRequest).toMatchObject({
      method: 'GET',
      url: '/durabletask/instances/run-1?showInput=true',
      body: '',
    });
  });

  it('asks for no input where durable-functions cannot (it drops a false showInput), and reads the same status otherwise', async () => {
    extension.twice({ status: 202, body: JSON.stringify({ ...STATUS, input: null }) });
    const { expected, actual, theirRequest, ourRequest } = await both((client) => client.getStatus('run-1'));
    expect(actual).toEqual(expected);
    expect(actual.value).toMatchObject({ input: null, createdTime: '2026-12-05T08:00:00.000Z' });
    expect(theirRequest.url).toBe('/durabletask/instances/run-1');
    expect(ourRequest.url).toBe('/durabletask/instances/run-1?showInput=false');
  });

  it.each([
    ['accepted (202)', { status: 202, body: JSON.stringify({ id: 'run-2', statusQueryGetUri: 'x' }) }],
    [
      'an instance that exists (500)',
      { status: 500, body: '{"Message":"Something went wrong while processing your request"}' },
    ],
    [
      'a bad argument (400)',
      { status: 400, body: '{"Message":"One or more of the arguments submitted is incorrect"}' },
    ],
    ['an empty 202', { status: 202 }],
  ])('starts an instance as durable-functions does: %s', async (_name, answer) => {
    extension.twice(answer);
    const input = { plan: { workflow: 'support', text: 'ünïcode \u2028 "quoted"' }, nonce: 'n' };
    const { expected, actual, theirRequest, ourRequest } = await both((client) =>
      client.startNew('handoffOrchestrator', { instanceId: 'run-2', input }),
    );
    expect(actual).toEqual(expected);
    expect(ourRequest).toEqual(theirRequest);
    expect(ourRequest).toMatchObject({
      method: 'POST',
      url: '/durabletask/orchestrators/handoffOrchestrator/run-2',
      contentType: 'application/json',
      body: JSON.stringify(input),
    });
  });

  it.each([
    ['accepted (202)', { status: 202 }],
    ['an ended instance (410)', { status: 410 }],
    ['a missing instance (404)', { status: 404 }],
    ['a bad body (400)', { status: 400, body: '{"Message":"Invalid JSON content"}' }],
  ])('raises an event as durable-functions does: %s', async (_name, answer) => {
    extension.twice(answer);
    const { expected, actual, theirRequest, ourRequest } = await both((client) =>
      client.raiseEvent('run-1', 'UserReply', { replyId: 'r1', message: 'yes' }),
    );
    expect(actual).toEqual(expected);
    expect(ourRequest).toEqual(theirRequest);
    expect(ourRequest).toMatchObject({
      method: 'POST',
      url: '/durabletask/instances/run-1/raiseEvent/UserReply',
      contentType: 'application/json',
      body: '{"replyId":"r1","message":"yes"}',
    });
  });

  it('encodes an id and an event name as new URL does', async () => {
    extension.twice({ status: 202 });
    const { theirRequest, ourRequest } = await both((client) =>
      client.raiseEvent('run 1/ä', 'a b', { x: 1 }),
    );
    expect(ourRequest).toEqual(theirRequest);
    expect(ourRequest.url).toBe('/durabletask/instances/run%201/%C3%A4/raiseEvent/a%20b');
  });

  it('sends the trace context of the active span on a start, as durable-functions does', async () => {
    const traceContext: TextMapPropagator = {
      inject(context, carrier: Record<string, string>) {
        const span = trace.getSpanContext(context);
        if (span) carrier.traceparent = `00-${span.traceId}-${span.spanId}-01`;
      },
      extract: (context) => context,
      fields: () => ['traceparent'],
    };
    otelContext.setGlobalContextManager(new StackContextManager().enable());
    propagation.setGlobalPropagator(traceContext);
    try {
      const span = trace.wrapSpanContext({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 });
      extension.twice({ status: 202, body: '{"id":"run-3"}' });
      // Both calls start inside the span's context (this context manager does not follow awaits).
      await otelContext.with(trace.setSpan(otelContext.active(), span), () =>
        Promise.all(
          [theirs, ours].map((client) =>
            client.startNew('handoffOrchestrator', { instanceId: 'run-3', input: {} }),
          ),
        ),
      );
      const [theirRequest, ourRequest] = extension.requests;
      expect(ourRequest).toEqual(theirRequest);
      expect(ourRequest?.traceparent).toBe(`00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`);
    } finally {
      propagation.disable();
      otelContext.disable();
    }
  });

  it('resolves a path under a base without a trailing slash, or with a query, as new URL does', async () => {
    for (const base of [`${origin}/durabletask`, `${origin}/x/durabletask/?code=1`]) {
      const context = invocation(origin);
      (context.extraInputs.get(context.options.extraInputs[0]!) as Record<string, unknown>).rpcBaseUrl = base;
      const direct = managementRpcClientOf(context)!;
      expect(direct).toBeDefined();
      extension.twice({ status: 404 });
      extension.requests.length = 0;
      await durableClient(context)
        .getStatus('run-1', { showInput: true })
        .catch(() => undefined);
      await direct.getStatus('run-1', { showInput: true });
      expect(extension.requests[1]).toEqual(extension.requests[0]);
    }
    expect(ManagementRpcClient.accepts('ftp://127.0.0.1/x')).toBe(false);
    expect(ManagementRpcClient.accepts('not a url')).toBe(false);
  });
});

describe('a request on a kept-alive socket the server has closed', () => {
  it('is sent once more on a new connection, and only once', async () => {
    // A server that answers the first request of each connection (keeping it open) and drops the
    // connection at the next, unanswered, as a server does that closes an idle connection just as
    // the client reuses it.
    const connections: Socket[] = [];
    let requests = 0;
    const server = createTcpServer((socket) => {
      connections.push(socket);
      let answered = false;
      socket.on('data', () => {
        requests += 1;
        if (answered) {
          socket.destroy();
          return;
        }
        answered = true;
        const body = JSON.stringify({ ...STATUS, runtimeStatus: 'Completed' });
        socket.write(
          `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: keep-alive\r\n\r\n${body}`,
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const client = new ManagementRpcClient(`http://127.0.0.1:${port}/durabletask/`);
      expect(await client.getStatus('run-1')).toMatchObject({ runtimeStatus: 'Completed' });
      // The second read goes out on the kept socket, which the server drops: it is sent again on a
      // new connection, which answers.
      expect(await client.getStatus('run-1')).toMatchObject({ runtimeStatus: 'Completed' });
      expect({ requests, connections: connections.length }).toEqual({ requests: 3, connections: 2 });
      // Once only: the next read goes out on the kept second connection, which drops it; its retry
      // goes to a new connection that drops it too, and that failure is the caller's.
      server.removeAllListeners('connection');
      server.on('connection', (socket: Socket) => {
        connections.push(socket);
        socket.on('data', () => {
          requests += 1;
          socket.destroy();
        });
      });
      await expect(client.getStatus('run-1')).rejects.toMatchObject({ code: 'ECONNRESET' });
      expect({ requests, connections: connections.length }).toEqual({ requests: 5, connections: 3 });
    } finally {
      for (const socket of connections) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
