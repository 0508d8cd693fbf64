import http from 'node:http';
import { send, type ClientResponse } from './http-client';
import { fixtureApp, serveApp, type ServedApp } from './serve-app';

/** Sends a body with chunked transfer encoding (no Content-Length), in pieces. */
function sendChunked(url: string, pieces: Buffer[]): Promise<ClientResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          text: body.toString(),
          json: () => JSON.parse(body.toString()),
        });
      });
    });
    // The server may answer and close before the last piece; the answer is what the test reads.
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error),
    );
    for (const piece of pieces) req.write(piece);
    req.end();
  });
}

describe('front door bodies, headers and status codes', () => {
  let app: ServedApp;
  const url = (path: string) => `${app.baseUrl}${path}`;

  beforeAll(async () => {
    app = await serveApp(fixtureApp, { maxRequestBodyBytes: 64 * 1024 });
  });
  afterAll(async () => {
    await app.stop();
  });

  it('hands a JSON body to the function and returns its JSON with the status it chose', async () => {
    const res = await send(url('/api/echo/json'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ order: 42, items: ['a', 'b'] }),
    });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.json()).toEqual({
      received: { order: 42, items: ['a', 'b'] },
      contentType: 'application/json',
    });
  });

  it('hands a text body to the function for POST and PUT and returns the text it wrote', async () => {
    for (const method of ['POST', 'PUT']) {
      const res = await send(url('/api/echo/text'), {
        method,
        headers: { 'content-type': 'text/plain' },
        body: 'héllo',
      });
      expect(res.status).toBe(200);
      expect(res.text).toBe(`${method}:héllo`);
      expect(res.headers['x-echo-method']).toBe(method);
      expect(res.headers['content-length']).toBe(String(Buffer.byteLength(`${method}:héllo`)));
    }
  });

  it('passes binary bodies through byte for byte in both directions', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const res = await send(url('/api/echo/binary'), {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['x-length']).toBe('256');
    expect(res.body.equals(Buffer.from(bytes).reverse())).toBe(true);
  });

  it('passes request headers to the function and its response headers back to the client', async () => {
    const res = await new Promise<ClientResponse>((resolve, reject) => {
      // Two x-multi lines: the host joins repeated headers into one value.
      const req = http.request(
        url('/api/headers'),
        { agent: false, headers: { 'X-Custom': 'Value 1', 'x-multi': ['a', 'b'] } },
        (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => {
            const body = Buffer.concat(chunks);
            resolve({
              status: r.statusCode ?? 0,
              headers: r.headers,
              body,
              text: body.toString(),
              json: () => JSON.parse(body.toString()),
            });
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ custom: 'Value 1', multi: 'a, b' });
    expect(res.headers['x-seen-custom']).toBe('Value 1');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('writes the function cookies as Set-Cookie headers in the ASP.NET format', async () => {
    const res = await send(url('/api/cookies'));
    expect(res.headers['set-cookie']).toEqual([
      'session=abc%20123; max-age=3600; path=/; samesite=strict; httponly',
      'theme=dark; path=/api; secure',
    ]);
    expect(res.text).toBe('cookies set');
  });

  it('returns the status codes the function chooses, with or without a body', async () => {
    const created = await send(url('/api/status/201'));
    expect(created.status).toBe(201);
    expect(created.json()).toEqual({ status: 201 });

    const noContent = await send(url('/api/status/204'));
    expect(noContent.status).toBe(204);
    expect(noContent.body).toHaveLength(0);
    expect(noContent.headers['content-length']).toBeUndefined();

    const redirect = await send(url('/api/status/302'));
    expect(redirect.status).toBe(302);
    expect(redirect.headers.location).toBe('/api/greet/redirected');

    // A 404 the function returns keeps its body, unlike the host's own 404.
    const notFound = await send(url('/api/status/404'));
    expect(notFound.status).toBe(404);
    expect(notFound.json()).toEqual({ status: 404 });
  });

  it('answers 500 with an empty body when the function throws, and logs the error', async () => {
    const res = await send(url('/api/fail'));
    expect(res.status).toBe(500);
    expect(res.body).toHaveLength(0);
    expect(
      app.logs.some((l) => l.level === 'error' && l.message.includes('the fixture failed on purpose')),
    ).toBe(true);
  });

  it('answers 200 with an empty body when the function returns nothing', async () => {
    const res = await send(url('/api/nothing'));
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(0);
  });

  it('refuses a body above the limit with 413 without invoking the function', async () => {
    const before = app.logs.filter((l) => l.message.startsWith("Executing 'Functions.echoText'")).length;
    const declared = await send(url('/api/echo/text'), {
      method: 'POST',
      body: Buffer.alloc(64 * 1024 + 1, 'x'),
    });
    expect(declared.status).toBe(413);
    const chunked = await sendChunked(url('/api/echo/text'), [
      Buffer.alloc(40 * 1024, 'x'),
      Buffer.alloc(40 * 1024, 'y'),
    ]);
    expect(chunked.status).toBe(413);
    const after = app.logs.filter((l) => l.message.startsWith("Executing 'Functions.echoText'")).length;
    expect(after).toBe(before);
  });
});
