import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, type BodyResult } from '../../../devhost/http/read-body';

/** A server whose handler reads each request's body with `readBody` and hands the result to the test. */
async function bodyServer(limit: number) {
  const results: (BodyResult | Error)[] = [];
  const seen = { requests: 0 };
  const server = http.createServer((req: IncomingMessage, res) => {
    seen.requests += 1;
    readBody(req, limit).then(
      (result) => {
        results.push(result);
        res.end(result.ok ? `read ${result.body.length}` : 'too large');
      },
      (error: Error) => {
        results.push(error);
        res.destroy();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    results,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function waitUntil(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('readBody', () => {
  it.each([
    ['chunked', {}],
    ['of a declared length', { 'content-length': '7' }],
  ])('reads a body %s sent in several writes, whole and in order', async (_kind, headers) => {
    const server = await bodyServer(1000);
    try {
      const answer = await new Promise<string>((resolve, reject) => {
        const req = http.request(
          { port: server.port, host: '127.0.0.1', method: 'POST', agent: false, headers },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () => resolve(text));
          },
        );
        req.on('error', reject);
        req.write('abc');
        setImmediate(() => req.end('defg'));
      });
      expect(answer).toBe('read 7');
      const [result] = server.results;
      expect(result).toEqual({ ok: true, body: Buffer.from('abcdefg') });
    } finally {
      await server.close();
    }
  });

  it('stops at the first chunk past the limit, answers too_large and reads no more of the upload', async () => {
    const server = await bodyServer(10);
    try {
      const req = http.request({ port: server.port, host: '127.0.0.1', method: 'POST', agent: false });
      const closed = new Promise<void>((resolve) => req.on('close', () => resolve()));
      req.on('error', () => undefined);
      req.write(Buffer.alloc(8, 'a'));
      req.write(Buffer.alloc(8, 'b'));
      await waitUntil('the result', () => server.results.length === 1);
      expect(server.results[0]).toEqual({ ok: false, reason: 'too_large' });
      await closed;
    } finally {
      await server.close();
    }
  });

  it('rejects when the client goes away before the body ends', async () => {
    const server = await bodyServer(1000);
    try {
      const req = http.request({
        port: server.port,
        host: '127.0.0.1',
        method: 'POST',
        agent: false,
        headers: { 'content-length': 100 },
      });
      req.on('error', () => undefined);
      req.write('only part of it');
      await waitUntil('the request at the server', () => server.seen.requests === 1);
      req.destroy();
      await waitUntil('the result', () => server.results.length === 1);
      expect(server.results[0]).not.toHaveProperty('ok');
      expect((server.results[0] as Error).message).toMatch(/aborted|Premature close/);
    } finally {
      await server.close();
    }
  });
});
