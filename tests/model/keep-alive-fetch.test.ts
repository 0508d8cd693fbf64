/**
 * The `fetch` the model client sends on (Node's HTTP client, keep-alive), against real local HTTP
 * servers: it sends what the global `fetch` sends, keeps one connection across calls, and hands
 * anything it does not do itself to the global `fetch`.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createKeepAliveFetch, takeAnswerBody, type AnswerBody } from '../../src/model/keep-alive-fetch';
import {
  makeSelfSignedCertificate,
  opensslMissing,
  type CertificateFiles,
} from '../support/self-signed-certificate';
import { tsChildOutcome } from '../support/ts-child';

interface Received {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

interface TestServer {
  url: string;
  received: Received[];
  connections: () => number;
  close: () => Promise<void>;
}

let servers: Server[] = [];

afterEach(async () => {
  await Promise.all(
    servers.map(async (server) => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    }),
  );
  servers = [];
});

async function serve(answer: (request: Received, response: ServerResponse) => void): Promise<TestServer> {
  const received: Received[] = [];
  let connections = 0;
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const seen = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(seen);
      answer(seen, response);
    });
  });
  server.on('connection', () => (connections += 1));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    connections: () => connections,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

const SSE = ['data: {"n":1}\n\n', 'data: {"n":2}\n\n', 'data: [DONE]\n\n'];

function sse(_request: Received, response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const event of SSE) response.write(event);
  response.end();
}

function json(_request: Received, response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req-1' });
  response.end('{"ok":true}');
}

/** A request as the `openai` client makes it: a Headers object, a JSON string body, a signal. */
function clientInit(body: string): RequestInit {
  return {
    method: 'post',
    headers: new Headers({
      accept: 'application/json',
      'content-type': 'application/json',
      authorization: 'Bearer secret-key',
      'user-agent': 'OpenAI/JS 6.0.0',
      'x-stainless-retry-count': '0',
      'x-durable-handoff-agent': 'shipping_agent',
    }),
    body,
    signal: new AbortController().signal,
  };
}

describe('createKeepAliveFetch', () => {
  it('sends the method, path, headers and body the global fetch sends for the same request', async () => {
    const server = await serve(json);
    const body = JSON.stringify({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'Grüße, #12345' }],
    });
    const url = `${server.url}/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21`;
    await (await fetch(url, clientInit(body))).text();
    await (await createKeepAliveFetch()(url, clientInit(body))).text();

    const [byFetch, byOurs] = server.received;
    // Two headers the Fetch standard adds for browsers are the global fetch's alone.
    const fetchOnly = new Set(['accept-language', 'sec-fetch-mode']);
    const sent = (headers: Received['headers']) =>
      Object.fromEntries(Object.entries(headers).filter(([name]) => !fetchOnly.has(name)));
    expect(byOurs).toEqual({ ...byFetch, headers: sent(byFetch!.headers) });
    expect(byOurs!.headers.connection).toBe('keep-alive');
    expect(byOurs!.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(byOurs!.headers['accept-encoding']).toBe('gzip, deflate');
  });

  it('answers with a Response carrying the status, the headers, the URL and the body', async () => {
    const server = await serve(json);
    const url = `${server.url}/v1/chat/completions`;
    const response = await createKeepAliveFetch()(url, clientInit('{}'));
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(response.ok).toBe(true);
    expect(response.headers.get('x-request-id')).toBe('req-1');
    expect(response.url).toBe(url);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('keeps one connection for consecutive calls, also when a stream is cancelled after its last event', async () => {
    const server = await serve(sse);
    const keepAliveFetch = createKeepAliveFetch();
    for (let call = 0; call < 5; call += 1) {
      const response = await keepAliveFetch(`${server.url}/v1/chat/completions`, clientInit('{}'));
      const reader = response.body!.getReader();
      let text = '';
      const decoder = new TextDecoder();
      while (!text.includes('[DONE]')) {
        const chunk = await reader.read();
        if (chunk.done) break;
        text += decoder.decode(chunk.value, { stream: true });
      }
      // A reader that stops at the last event cancels the rest of the body, as the model client does.
      await reader.cancel();
      expect(text).toBe(SSE.join(''));
    }
    expect(server.received).toHaveLength(5);
    expect(server.connections()).toBe(1);
  });

  it("hands its answer's bytes straight to a reader that takes them, once, the Response then read", async () => {
    const server = await serve(sse);
    const response = await createKeepAliveFetch()(`${server.url}/v1/chat/completions`, clientInit('{}'));
    const answer = takeAnswerBody(response)!;
    expect(answer).toBeDefined();
    expect(takeAnswerBody(response)).toBeUndefined();
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toMatchObject({ name: 'TypeError' });
    expect(await readAll(answer)).toEqual({ text: SSE.join(''), ended: true });
    // A body already used, or a Response of another fetch, is not handed out.
    const read = await createKeepAliveFetch()(`${server.url}/v1/chat/completions`, clientInit('{}'));
    expect(await read.text()).toBe(SSE.join(''));
    expect(takeAnswerBody(read)).toBeUndefined();
    expect(takeAnswerBody(new Response('x'))).toBeUndefined();
  });

  it('keeps one connection when a reader of the bytes cancels after the last event', async () => {
    const server = await serve(sse);
    const keepAliveFetch = createKeepAliveFetch();
    for (let call = 0; call < 5; call += 1) {
      const response = await keepAliveFetch(`${server.url}/v1/chat/completions`, clientInit('{}'));
      const answer = takeAnswerBody(response)!;
      expect(await readAll(answer, '[DONE]')).toMatchObject({ text: SSE.join('') });
    }
    expect(server.received).toHaveLength(5);
    expect(server.connections()).toBe(1);
  });

  it("fails a reader of the bytes with the abort's error, also when the abort came before the read", async () => {
    const held: ServerResponse[] = [];
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(SSE[0]);
      held.push(response);
    });
    const keepAliveFetch = createKeepAliveFetch();
    for (const abortFirst of [true, false]) {
      const abort = new AbortController();
      const response = await keepAliveFetch(`${server.url}/v1/chat/completions`, {
        ...clientInit('{}'),
        signal: abort.signal,
      });
      if (abortFirst) {
        abort.abort();
        await new Promise((resolve) => setImmediate(resolve));
      }
      const answer = takeAnswerBody(response)!;
      const reading = readAll(answer, 'never');
      if (!abortFirst) abort.abort();
      await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
    }
  });

  it('does not cut a call whose model is silent for longer than the idle connection timeout', async () => {
    // The idle timeout is for pooled connections between calls; a model that thinks before its first
    // token, or between two tokens, keeps the connection busy, and the call must survive it.
    const idleSocketTimeoutMs = 50;
    const silence = idleSocketTimeoutMs * 6;
    const server = await serve((_request, response) => {
      setTimeout(() => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write(SSE[0]);
        setTimeout(() => {
          response.write(SSE[1]);
          response.end(SSE[2]);
        }, silence);
      }, silence);
    });
    const keepAliveFetch = createKeepAliveFetch({ idleSocketTimeoutMs });
    const response = await keepAliveFetch(`${server.url}/v1/chat/completions`, clientInit('{}'));
    expect(await response.text()).toBe(SSE.join(''));
    const second = await keepAliveFetch(`${server.url}/v1/chat/completions`, clientInit('{}'));
    expect(await second.text()).toBe(SSE.join(''));
    expect(server.received).toHaveLength(2);
  });

  it('decompresses a gzip answer', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      response.end(gzipSync('{"compressed":true}'));
    });
    const response = await createKeepAliveFetch()(`${server.url}/v1/chat/completions`, clientInit('{}'));
    expect(await response.json()).toEqual({ compressed: true });
  });

  it('hands the bytes of a gzip stream decompressed to a reader that takes them', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' });
      response.end(gzipSync(SSE.join('')));
    });
    const response = await createKeepAliveFetch()(`${server.url}/v1/chat/completions`, clientInit('{}'));
    expect(await readAll(takeAnswerBody(response)!)).toEqual({ text: SSE.join(''), ended: true });
  });

  it('has no body for a 204', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(204);
      response.end();
    });
    const response = await createKeepAliveFetch()(`${server.url}/v1/things/1`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it('hands a redirect to the global fetch, which follows it', async () => {
    const server = await serve((request, response) => {
      if (request.url === '/v1/chat/completions') {
        response.writeHead(307, { location: '/moved/chat/completions' });
        response.end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ at: request.url, body: request.body }));
    });
    const response = await createKeepAliveFetch()(`${server.url}/v1/chat/completions`, clientInit('{"a":1}'));
    expect(await response.json()).toEqual({ at: '/moved/chat/completions', body: '{"a":1}' });
    // Ours, then the global fetch's two requests.
    expect(server.received.map((request) => request.url)).toEqual([
      '/v1/chat/completions',
      '/v1/chat/completions',
      '/moved/chat/completions',
    ]);
  });

  it('hands a body that is neither text nor bytes to the fallback', async () => {
    const server = await serve((request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end(`${String(request.headers['content-type'])} ${request.body}`);
    });
    const fallbackCalls: string[] = [];
    const keepAliveFetch = createKeepAliveFetch({
      fallback: (input, init) => {
        fallbackCalls.push(input instanceof Request ? input.url : input.toString());
        return fetch(input, init);
      },
    });
    const url = `${server.url}/v1/form`;
    const response = await keepAliveFetch(url, { method: 'POST', body: new URLSearchParams({ a: '1' }) });
    expect(await response.text()).toBe('application/x-www-form-urlencoded;charset=UTF-8 a=1');
    expect(fallbackCalls).toEqual([url]);
  });

  it('rejects with an AbortError when aborted before the answer, and fails the body read when aborted during it', async () => {
    const held: ServerResponse[] = [];
    const server = await serve((request, response) => {
      if (request.url === '/slow') {
        held.push(response);
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: {"n":1}\n\n');
      held.push(response);
    });
    const keepAliveFetch = createKeepAliveFetch();

    const early = new AbortController();
    const pending = keepAliveFetch(`${server.url}/slow`, {
      method: 'POST',
      body: '{}',
      signal: early.signal,
    });
    await waitFor(() => held.length === 1);
    early.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await expect(
      keepAliveFetch(`${server.url}/slow`, { method: 'POST', body: '{}', signal: early.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });

    const late = new AbortController();
    const response = await keepAliveFetch(`${server.url}/stream`, {
      method: 'POST',
      body: '{}',
      signal: late.signal,
    });
    const reader = response.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    late.abort();
    await expect(reader.read()).rejects.toBeInstanceOf(Error);
  });

  it('rejects a refused connection as the global fetch does: TypeError "fetch failed" with the cause', async () => {
    const server = await serve(json);
    const url = `${server.url}/v1/chat/completions`;
    await server.close();
    servers = [];
    const error: unknown = await createKeepAliveFetch()(url, clientInit('{}')).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
    expect(String((error as { cause?: { message?: unknown } }).cause?.message)).toMatch(/ECONNREFUSED/);
  });
});

const HTTPS_CHILD = path.resolve(__dirname, 'support/keep-alive-fetch-child.ts');

interface ChildOutcome {
  ok: boolean;
  answers?: { status: number; body: string }[];
  message?: string;
}

/** Runs the child that calls `url` three times, trusting the certificate `ca`. */
function childOutcome(url: string, ca: string): Promise<ChildOutcome> {
  return tsChildOutcome(
    HTTPS_CHILD,
    { PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: ca, FETCH_URL: url },
    'fetch',
  );
}

const missing = opensslMissing();
if (missing && !process.env.CI)
  process.stderr.write(`Skipping the HTTPS tests of keep-alive-fetch: ${missing}.\n`);

(missing && !process.env.CI ? describe.skip : describe)('createKeepAliveFetch over HTTPS', () => {
  let dir: string;
  let certificate: CertificateFiles;
  let url: string;
  let tlsConnections = 0;
  let server: Server;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keep-alive-fetch-tls-'));
    certificate = makeSelfSignedCertificate(dir);
    server = createHttpsServer(
      { cert: fs.readFileSync(certificate.cert), key: fs.readFileSync(certificate.key) },
      (request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ echo: Buffer.concat(chunks).toString('utf8') }));
        });
      },
    );
    server.on('secureConnection', () => (tlsConnections += 1));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => (tlsConnections = 0));

  it('sends over TLS to a server whose certificate is trusted, three calls on one kept-alive connection', async () => {
    expect(await childOutcome(url, certificate.cert)).toEqual({
      ok: true,
      answers: [1, 2, 3].map((call) => ({
        status: 200,
        body: JSON.stringify({ echo: JSON.stringify({ call }) }),
      })),
    });
    expect(tlsConnections).toBe(1);
  }, 30_000);

  it('refuses a certificate it does not trust, as the global fetch does: TypeError "fetch failed" with the cause', async () => {
    const error: unknown = await createKeepAliveFetch()(url, clientInit('{}')).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
    expect(String((error as { cause?: { message?: unknown } }).cause?.message)).toMatch(
      /self-signed certificate/,
    );
  });
});

/** Resolves once `condition` holds; fails after a deadline. */
async function waitFor(condition: () => boolean, deadlineMs = 5_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Reads `answer` to its end, or until the text holds `until` (then cancels the rest). */
function readAll(answer: AnswerBody, until?: string): Promise<{ text: string; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const decoder = new TextDecoder();
    let text = '';
    answer.each(
      (chunk) => {
        text += decoder.decode(chunk, { stream: true });
        if (until !== undefined && text.includes(until)) {
          answer.cancel();
          resolve({ text, ended: false });
        }
      },
      () => resolve({ text, ended: true }),
      reject,
    );
  });
}
