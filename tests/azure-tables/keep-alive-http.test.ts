import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  exchangeWhole,
  KeepAliveAgents,
  ResendableBody,
  type WholeRequest,
} from '../../azure-tables/keep-alive-http';

/**
 * A local server that numbers the requests of each connection and hands each to `handle` with its
 * number there (1 for a connection's first request).
 */
async function numberingServer(
  handle: (req: http.IncomingMessage, res: http.ServerResponse, nthOnConnection: number) => void,
): Promise<{ url: URL; received: () => number; close: () => Promise<void> }> {
  const seenOn = new WeakMap<Socket, number>();
  let received = 0;
  const server = http.createServer((req, res) => {
    received += 1;
    const nth = (seenOn.get(req.socket) ?? 0) + 1;
    seenOn.set(req.socket, nth);
    req.resume();
    req.on('end', () => handle(req, res, nth));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/path`);
  return {
    url,
    received: () => received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('the keep-alive exchange', () => {
  let agents: KeepAliveAgents;
  beforeEach(() => {
    agents = new KeepAliveAgents();
  });
  afterEach(() => agents.destroy());

  const post = (url: URL, body: string, staleResends?: number): WholeRequest => ({
    target: url,
    method: 'POST',
    headers: { 'content-length': Buffer.byteLength(body) },
    body,
    agents,
    staleResends,
  });

  it('sends a request again, once, when the server closed the reused connection before answering', async () => {
    // Answers the first request of a connection; drops the connection at its second.
    const server = await numberingServer((_req, res, nth) => {
      if (nth > 1) res.socket?.destroy();
      else res.end(`answer on a new connection`);
    });
    try {
      await exchangeWhole(post(server.url, 'one'));
      const second = await exchangeWhole(post(server.url, 'two'));
      expect(second.status).toBe(200);
      expect(second.body.toString('utf8')).toBe('answer on a new connection');
      // The second request went out on the kept-alive connection, then again on a new one.
      expect(server.received()).toBe(3);
    } finally {
      await server.close();
    }
  });

  it('gives up after one resend when that one also finds its kept-alive connection closed', async () => {
    const server = await numberingServer((_req, res, nth) => {
      if (nth > 1) res.socket?.destroy();
      else res.end('first on its connection');
    });
    try {
      // Two requests at once leave two kept-alive connections in the pool.
      await Promise.all([exchangeWhole(post(server.url, 'a')), exchangeWhole(post(server.url, 'b'))]);
      expect(server.received()).toBe(2);
      await expect(exchangeWhole(post(server.url, 'c'))).rejects.toMatchObject({ code: 'ECONNRESET' });
      // Sent on one pooled connection, then once more on the other: no third attempt.
      expect(server.received()).toBe(4);
    } finally {
      await server.close();
    }
  });

  it('fails without a resend when a new connection is reset', async () => {
    const server = await numberingServer((_req, res) => res.socket?.destroy());
    try {
      await expect(exchangeWhole(post(server.url, 'x'))).rejects.toMatchObject({ code: 'ECONNRESET' });
      expect(server.received()).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('fails without a resend when the reused connection is reset after a byte of the answer', async () => {
    // The second request of a connection gets the start of a status line, then the connection drops.
    const server = await numberingServer((_req, res, nth) => {
      if (nth === 1) {
        res.end('first');
        return;
      }
      const socket = res.socket!;
      socket.write('HTTP/1.1 200', () => socket.destroy());
    });
    try {
      await exchangeWhole(post(server.url, 'one'));
      await expect(exchangeWhole(post(server.url, 'two'))).rejects.toMatchObject({ code: 'ECONNRESET' });
      expect(server.received()).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('does not send again when told to leave it to its caller', async () => {
    const server = await numberingServer((_req, res, nth) => {
      if (nth > 1) res.socket?.destroy();
      else res.end('first');
    });
    try {
      await exchangeWhole(post(server.url, 'one', 0));
      await expect(exchangeWhole(post(server.url, 'two', 0))).rejects.toMatchObject({ code: 'ECONNRESET' });
      expect(server.received()).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('answers with the status, the headers and the whole body', async () => {
    const server = await numberingServer((req, res) => {
      res.setHeader('x-method', req.method ?? '');
      res.statusCode = 201;
      res.write('chunk one, ');
      setImmediate(() => res.end('chunk two'));
    });
    try {
      const answer = await exchangeWhole(post(server.url, 'x'));
      expect(answer.status).toBe(201);
      expect(answer.headers['x-method']).toBe('POST');
      expect(answer.body.toString('utf8')).toBe('chunk one, chunk two');
    } finally {
      await server.close();
    }
  });
});

describe('a resendable body', () => {
  it('keeps the chunks up to its bound', () => {
    const body = new ResendableBody(6);
    body.keep(Buffer.from('abc'));
    body.keep(Buffer.from('def'));
    expect(Buffer.concat(body.chunks!).toString()).toBe('abcdef');
  });

  it('keeps nothing once the body outgrows its bound', () => {
    const body = new ResendableBody(6);
    body.keep(Buffer.from('abc'));
    body.keep(Buffer.from('defg'));
    expect(body.chunks).toBeUndefined();
    body.keep(Buffer.from('h'));
    expect(body.chunks).toBeUndefined();
  });

  it('keeps nothing once released', () => {
    const body = new ResendableBody(6);
    body.keep(Buffer.from('abc'));
    body.release();
    body.keep(Buffer.from('d'));
    expect(body.chunks).toBeUndefined();
  });
});
