import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { benchHttpRequest } from '../../src/ours/bench-http-client';

interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage['headers'];
  body: string;
  remotePort: number | undefined;
}

describe('bench HTTP client', () => {
  let server: http.Server | undefined;
  const seen: Seen[] = [];

  beforeEach(async () => {
    seen.length = 0;
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        seen.push({
          method: req.method,
          url: req.url,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          remotePort: req.socket.remotePort,
        });
        res.statusCode = req.method === 'POST' ? 202 : 200;
        res.setHeader('content-type', 'application/json');
        // Two writes: the client must read the whole answer, not its first chunk.
        res.write('{"answer":"é');
        res.end('"}');
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  });

  afterEach(async () => {
    const running = server;
    server = undefined;
    if (running === undefined) return;
    running.closeAllConnections();
    await new Promise((resolve) => running.close(resolve));
  });

  const base = () => `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;

  it('sends the method, headers and body, and reads the whole answer with its status', async () => {
    const answer = await benchHttpRequest(`${base()}/api/run?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"message":"où est ma commande"}',
    });

    expect(answer).toEqual({ status: 202, text: '{"answer":"é"}' });
    expect(seen).toEqual([
      expect.objectContaining({
        method: 'POST',
        url: '/api/run?x=1',
        body: '{"message":"où est ma commande"}',
        headers: expect.objectContaining({
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength('{"message":"où est ma commande"}')),
        }),
      }),
    ]);
  });

  it('keeps the connection for the next request', async () => {
    await benchHttpRequest(`${base()}/a`, { method: 'GET', headers: { authorization: 'Bearer t' } });
    await benchHttpRequest(`${base()}/b`, { method: 'GET' });

    expect(seen.map((request) => request.url)).toEqual(['/a', '/b']);
    expect(seen[0]!.headers.authorization).toBe('Bearer t');
    expect(seen[1]!.remotePort).toBe(seen[0]!.remotePort);
  });

  it('fails when nothing listens', async () => {
    const url = `${base()}/gone`;
    server!.closeAllConnections();
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;

    await expect(benchHttpRequest(url, { method: 'GET' })).rejects.toThrow(/ECONNREFUSED/);
  });
});
