/**
 * The front door's limits on what a client sends, over raw sockets: every request gets an answer,
 * whatever its headers, path or management body.
 */
import { escapeLogMessage } from '../../../devhost/log';
import { sendRaw } from '../../support/raw-http';
import { serveApp, streamingFixtureApp, type ServedApp } from './serve-app';

const headerLines = (count: number): Array<[string, string]> =>
  Array.from({ length: count }, (_, i): [string, string] => [`x-h${i}`, 'v']);

describe('front door request limits', () => {
  let app: ServedApp;
  let port: number;

  beforeAll(async () => {
    app = await serveApp(streamingFixtureApp, { withDurableEngine: true });
    port = Number(new URL(app.baseUrl).port);
  });
  afterAll(async () => {
    await app.stop();
  });

  const release = (headers: Array<[string, string]>) =>
    sendRaw(port, { method: 'POST', target: '/api/release/limits', headers, body: '' }, 10_000);

  it('passes a request with 90 extra headers to the function', async () => {
    expect((await release(headerLines(90))).status).toBe(202);
  });

  it('answers 431 to more than 100 headers instead of leaving the request unanswered', async () => {
    for (const count of [101, 996, 997, 1000, 1500]) {
      const response = await release(headerLines(count));
      expect({ count, status: response.status }).toEqual({ count, status: 431 });
    }
    expect((await release([])).status).toBe(202);
  });

  it('answers 431 to headers larger than 32 KiB', async () => {
    const response = await release([['x-big', 'a'.repeat(40 * 1024)]]);
    expect(response.status).toBe(431);
  });

  it('answers every one of a flood of requests with a thousand headers', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 200 }, () => release(headerLines(1000)).then((r) => r.status)),
    );
    expect(new Set(statuses)).toEqual(new Set([431]));
    expect((await release([])).status).toBe(202);
  });

  it('refuses a backslash in the path with 400 instead of reading it as a slash', async () => {
    const response = await sendRaw(port, { method: 'POST', target: '/api/release\\limits', body: '' });
    expect(response.status).toBe(400);
    const encoded = await sendRaw(port, { method: 'POST', target: '/api\\release/limits', body: '' });
    expect(encoded.status).toBe(400);
  });

  it('refuses a management request body over 10 MiB with 413, declared or streamed', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x61);
    const target = '/runtime/webhooks/durabletask/instances/none/raiseEvent/e';
    const declared = await sendRaw(port, {
      method: 'POST',
      target,
      headers: [
        ['Content-Type', 'application/json'],
        ['x-functions-key', app.keys.masterKey],
      ],
      body: big,
    });
    expect(declared.status).toBe(413);
    const chunked = await sendRaw(port, {
      method: 'POST',
      target,
      headers: [
        ['Content-Type', 'application/json'],
        ['Transfer-Encoding', 'chunked'],
        ['x-functions-key', app.keys.masterKey],
      ],
      body: Buffer.concat([Buffer.from(`${big.length.toString(16)}\r\n`), big, Buffer.from('\r\n0\r\n\r\n')]),
    });
    expect(chunked.status).toBe(413);
  });
});

describe('log lines', () => {
  it('shows control characters as escapes and indents continuation lines, so no value forges a line', () => {
    const forged = escapeLogMessage('key=abc\r\ninformation fake line\u001b[31m\u0000');
    expect(forged).toBe('key=abc\\r\n            information fake line\\u001b[31m\\u0000');
    expect(
      forged
        .split('\n')
        .slice(1)
        .every((line) => line.startsWith(' '.repeat(12))),
    ).toBe(true);
  });
});

describe('a streamed function that answers without reading a large body', () => {
  it("answers with the function's 415, or a 500 and a warning to drain the body, never silence", async () => {
    const app = await serveApp(streamingFixtureApp);
    try {
      const port = Number(new URL(app.baseUrl).port);
      const response = await sendRaw(port, {
        method: 'POST',
        target: '/api/refuse-unread',
        body: Buffer.alloc(2 * 1024 * 1024, 0x61),
      });
      // The library's proxy resets the connection when the function answers with upload unread,
      // which loses the function's 415; whether any is unread at that moment depends on scheduling
      // (on a busy machine the whole 2 MiB is often in by then). Either way the client gets an
      // answer, and a lost one is a 500 the host explains.
      expect([415, 500]).toContain(response.status);
      const warned = app.logs.some((entry) =>
        entry.message.includes('answered before reading the request body'),
      );
      expect({ status: response.status, warned }).toEqual({
        status: response.status,
        warned: response.status === 500,
      });
    } finally {
      await app.stop();
    }
  });
});
