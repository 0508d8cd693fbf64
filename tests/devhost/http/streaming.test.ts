import diagnosticsChannel from 'node:diagnostics_channel';
import http from 'node:http';
import net from 'node:net';
import { send, waitFor } from './http-client';
import { serveApp, streamingFixtureApp, type ServedApp } from './serve-app';

describe('front door HTTP streaming (app.setup({ enableHttpStream: true }))', () => {
  let app: ServedApp;

  beforeAll(async () => {
    app = await serveApp(streamingFixtureApp);
  });
  afterAll(async () => {
    await app.stop();
  });

  it('reports the library proxy address as the worker capability HttpUri', () => {
    expect(app.worker.capabilities.HttpUri).toMatch(/^http:\/\/localhost:\d+\/$/);
  });

  it("keeps its connection to the worker's HTTP proxy for the next invocation, as the Functions host does", async () => {
    const pooled = () => Object.values(app.workerConnections.freeSockets).flat();
    await waitFor('no invocation in flight', () => Object.keys(app.workerConnections.sockets).length === 0);
    expect((await send(`${app.baseUrl}/api/stream-params/k1`)).status).toBe(200);
    await waitFor('the connection back in the pool', () => pooled().length === 1);
    const [connection] = pooled();
    for (const id of ['k2', 'k3']) {
      expect((await send(`${app.baseUrl}/api/stream-params/${id}`)).status).toBe(200);
      await waitFor('the connection back in the pool', () => pooled().length === 1);
      expect(pooled()[0]).toBe(connection);
    }
  });

  it('delivers the first chunk while the function still waits, and the rest once the test releases it', async () => {
    const chunks: string[] = [];
    let ended = false;
    let response: http.IncomingMessage | undefined;
    const req = http.get(`${app.baseUrl}/api/stream/s1`, { agent: false }, (res) => {
      response = res;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => chunks.push(chunk));
      res.on('end', () => (ended = true));
    });
    try {
      await waitFor('the first chunk', () => chunks.join('').includes('first chunk of s1\n'));
      expect(ended).toBe(false);
      expect(chunks.join('')).not.toContain('second chunk');
      expect(response?.statusCode).toBe(200);
      expect(response?.headers['x-stream-id']).toBe('s1');
      expect(response?.headers['x-ms-invocation-id']).toBeUndefined();

      expect((await send(`${app.baseUrl}/api/release/s1`, { method: 'POST' })).status).toBe(202);
      await waitFor('the end of the stream', () => ended);
      expect(chunks.join('')).toBe('first chunk of s1\nsecond chunk\n');
    } finally {
      req.destroy();
    }
  });

  it("writes an answer the worker's proxy sent whole to the client's connection at once: headers, body and end", async () => {
    // Counted on the front door's side of the client's connection: each loopback write costs both
    // processes a wake-up (#16).
    const writes: number[] = [];
    const onAccepted = (message: unknown): void => {
      const socket = (message as { socket: net.Socket }).socket;
      if (socket.localPort !== Number(new URL(app.baseUrl).port)) return;
      const index = writes.push(0) - 1;
      const write = socket._write.bind(socket);
      const writev = socket._writev?.bind(socket);
      socket._write = (...args: Parameters<net.Socket['_write']>) => {
        writes[index] = (writes[index] ?? 0) + 1;
        write(...args);
      };
      if (writev) {
        socket._writev = (...args: Parameters<NonNullable<net.Socket['_writev']>>) => {
          writes[index] = (writes[index] ?? 0) + 1;
          writev(...args);
        };
      }
    };
    diagnosticsChannel.subscribe('net.server.socket', onAccepted);
    let res;
    try {
      res = await send(`${app.baseUrl}/api/stream-params/w1`);
    } finally {
      diagnosticsChannel.unsubscribe('net.server.socket', onAccepted);
    }
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ params: { id: 'w1' } });
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(writes).toEqual([1]);
  });

  it('streams a request body to the function, with its headers, query and the key check', async () => {
    const body = Buffer.alloc(200 * 1024, 'z');
    const refused = await send(`${app.baseUrl}/api/upload`, { method: 'POST', body });
    expect(refused.status).toBe(401);
    const res = await send(`${app.baseUrl}/api/upload?q=yes`, {
      method: 'POST',
      headers: { 'x-functions-key': app.keys.functionKey, 'x-custom': 'streamed' },
      body,
    });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ bytes: body.length, custom: 'streamed', query: 'yes' });
  });

  it('puts query values into request.params beside the route values, the route value winning, as Azure does', async () => {
    const res = await send(`${app.baseUrl}/api/stream-params/r1?orchestrationName=hello&id=fromQuery&empty=`);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ params: { orchestrationName: 'hello', id: 'r1' } });
  });

  it('answers 500 with an empty body when a streaming function throws', async () => {
    const res = await send(`${app.baseUrl}/api/stream-fail`);
    expect(res.status).toBe(500);
    expect(res.body).toHaveLength(0);
  });
});

describe("front door HTTP streaming over a pooled connection the worker's proxy has closed", () => {
  // The library's server closes an idle connection after 5 s; when the event loop lags, the front
  // door's pool can hand that connection out before it has seen the close (both timers run on one
  // loop). Here the close is made to happen exactly then: when the front door invokes the function,
  // just before it forwards the request.
  let app: ServedApp;
  let closeBeforeForwarding = false;
  const accepted: net.Socket[] = [];
  const onAccepted = (message: unknown): void => {
    accepted.push((message as { socket: net.Socket }).socket);
  };
  const pooled = () => Object.values(app.workerConnections.freeSockets).flat();

  const closePooledConnectionOnTheWorkerSide = (): void => {
    const [connection] = pooled();
    const workerPort = Number(new URL(app.worker.capabilities.HttpUri ?? '').port);
    const workerSide = accepted.find(
      (socket) => socket.localPort === workerPort && socket.remotePort === connection?.localPort,
    );
    if (connection === undefined || workerSide === undefined) {
      throw new Error('No pooled connection to the worker to close.');
    }
    workerSide.destroy();
  };

  beforeAll(async () => {
    diagnosticsChannel.subscribe('net.server.socket', onAccepted);
    app = await serveApp(streamingFixtureApp, {
      invoker: (worker) => ({
        list: () => worker.list(),
        get: (name) => worker.get(name),
        invoke: (name, inputData, options) => {
          if (closeBeforeForwarding) {
            closeBeforeForwarding = false;
            closePooledConnectionOnTheWorkerSide();
          }
          return worker.invoke(name, inputData, options);
        },
      }),
    });
  });
  afterAll(async () => {
    diagnosticsChannel.unsubscribe('net.server.socket', onAccepted);
    await app.stop();
  });

  const pooledAfter = async (url: string, options: Parameters<typeof send>[1] = {}) => {
    expect((await send(`${app.baseUrl}/api/stream-params/first`)).status).toBe(200);
    await waitFor('the connection back in the pool', () => pooled().length === 1);
    closeBeforeForwarding = true;
    return send(url, options);
  };

  it('sends a GET again over a new connection and answers it', async () => {
    const res = await pooledAfter(`${app.baseUrl}/api/stream-params/again`);
    expect(closeBeforeForwarding).toBe(false);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ params: { id: 'again' } });
  });

  it('sends a POST again with its whole body over a new connection and answers it', async () => {
    const body = Buffer.alloc(64 * 1024, 'y');
    const res = await pooledAfter(`${app.baseUrl}/api/upload?q=again`, {
      method: 'POST',
      headers: { 'x-functions-key': app.keys.functionKey, 'x-custom': 'replayed' },
      body,
    });
    expect(closeBeforeForwarding).toBe(false);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ bytes: body.length, custom: 'replayed', query: 'again' });
  });
});

describe('front door HTTP streaming shutdown', () => {
  it('closes the library streaming proxy server when the worker terminates', async () => {
    const app = await serveApp(streamingFixtureApp);
    const proxy = new URL(app.worker.capabilities.HttpUri ?? '');
    await app.stop();
    const outcome = await new Promise<string>((resolve) => {
      const socket = net.connect(Number(proxy.port), '127.0.0.1', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(outcome).toBe('ECONNREFUSED');
  });
});

describe('front door HTTP streaming body limit', () => {
  let app: ServedApp;
  beforeAll(async () => {
    app = await serveApp(streamingFixtureApp, { maxRequestBodyBytes: 1024 });
  });
  afterAll(async () => {
    await app.stop();
  });

  it('refuses a declared body above the limit with 413 before invoking the function', async () => {
    const res = await send(`${app.baseUrl}/api/upload`, {
      method: 'POST',
      headers: { 'x-functions-key': app.keys.functionKey },
      body: Buffer.alloc(4096, 'a'),
    });
    expect(res.status).toBe(413);
    expect(app.logs.some((l) => l.message.startsWith("Executing 'Functions.upload'"))).toBe(false);
  });

  it('cuts a chunked body off with 413 once it passes the limit', async () => {
    const res = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        `${app.baseUrl}/api/upload`,
        { method: 'POST', agent: false, headers: { 'x-functions-key': app.keys.functionKey } },
        (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) =>
        error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error),
      );
      req.write(Buffer.alloc(800, 'a'));
      req.write(Buffer.alloc(800, 'b'));
      req.end();
    });
    expect(res).toBe(413);
  });
});
