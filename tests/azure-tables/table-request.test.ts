import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createDefaultHttpClient } from '@azure/core-rest-pipeline';
import { odata, TableClient } from '@azure/data-tables';
import { TableBatch } from '../../azure-tables/table-batch';
import { TableQuery } from '../../azure-tables/table-query';
import { leanChain } from '../../azure-tables/table-request';
import { forwardTo, tablePortOf, throughProxy } from '../support/counting-proxy';
import { useInMemoryAzurite } from '../support/in-memory-azurite';
import { makeSelfSignedCertificate, opensslMissing } from '../support/self-signed-certificate';
import { tsChildOutcome } from '../support/ts-child';

/** What the proxy does with a request: forward it, answer it itself, or drop the connection. */
type Verdict = 'forward' | 'reset' | { status: number; headers?: Record<string, string>; body?: string };

interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

/** A proxy in front of Azurite's table port that records every request and can refuse some. */
async function startTableProxy(port: number) {
  const seen: SeenRequest[] = [];
  let decide: (request: SeenRequest) => Verdict = () => 'forward';
  const server = http.createServer((request, response) => {
    const entry = { method: request.method ?? '', url: request.url ?? '', headers: request.headers };
    seen.push(entry);
    const verdict = decide(entry);
    if (verdict === 'reset') {
      request.socket.destroy();
      return;
    }
    if (verdict !== 'forward') {
      request.resume();
      response.writeHead(verdict.status, verdict.headers ?? {});
      response.end(verdict.body ?? '');
      return;
    }
    forwardTo(port, request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    decideWith(next: (request: SeenRequest) => Verdict) {
      decide = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('Table requests on the client credential and retry policies, over the lean HTTP client (against Azurite)', () => {
  const azurite = useInMemoryAzurite('table-request');
  let proxy: Awaited<ReturnType<typeof startTableProxy>>;
  let client: TableClient;

  beforeAll(async () => {
    const { connectionString } = azurite();
    proxy = await startTableProxy(tablePortOf(connectionString));
    client = TableClient.fromConnectionString(throughProxy(connectionString, proxy.port), 'RequestTest', {
      allowInsecureConnection: true,
    });
    await client.createTable();
  });

  afterAll(async () => {
    await proxy?.close();
  });

  beforeEach(() => proxy.decideWith(() => 'forward'));

  it('is used for a connection string client, and sends the headers the SDK sends for the same query', async () => {
    expect(leanChain(client, createDefaultHttpClient())).toBeDefined();
    const filter = odata`PartitionKey eq ${'wire'}`;
    const before = proxy.seen.length;
    await new TableQuery(client, { allowInsecureConnection: true }).pages(filter).next();
    for await (const entity of client.listEntities({ queryOptions: { filter } })) void entity;
    const [ours, sdk] = proxy.seen.slice(before) as [SeenRequest, SeenRequest];
    expect(ours.headers['user-agent']).toBe(sdk.headers['user-agent']);
    expect(ours.headers['user-agent']).toMatch(/^azsdk-js-data-tables\//);
    expect(ours.headers['x-ms-version']).toBeDefined();
    expect(ours.headers['x-ms-client-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(ours.headers['x-ms-client-request-id']).not.toBe(sdk.headers['x-ms-client-request-id']);
    // Shared Key Lite over the date the request carries, with the account the SDK signs for.
    expect(ours.headers.authorization).toMatch(/^SharedKeyLite devstoreaccount1:[A-Za-z0-9+/]+=*$/);
    expect(sdk.headers.authorization).toMatch(/^SharedKeyLite devstoreaccount1:/);
    expect(Date.parse(String(ours.headers['x-ms-date']))).not.toBeNaN();
    // Every header the SDK sends, but the compression it asks for (the Table service answers these
    // uncompressed); the accept header differs as TableQuery asks for no OData metadata.
    expect(Object.keys(sdk.headers).filter((name) => !(name in ours.headers))).toEqual(['accept-encoding']);
  });

  it('retries a throttled answer after its Retry-After, a 5xx and a dropped connection, as the SDK does', async () => {
    const batch = new TableBatch(client, { allowInsecureConnection: true });
    const refusals: Verdict[] = [
      { status: 503, headers: { 'Retry-After': '0' }, body: 'busy' },
      // Closing the connection puts the next request on a new one, whose drop is the retry policy's
      // to retry (the HTTP client itself resends only a request on a kept-alive connection).
      { status: 500, headers: { Connection: 'close' }, body: 'oops' },
      'reset',
    ];
    proxy.decideWith((request) =>
      request.url.includes('$batch') ? (refusals.shift() ?? 'forward') : 'forward',
    );
    const before = proxy.seen.length;
    const { etags } = await batch.submit([
      { op: 'create', entity: { partitionKey: 'retry', rowKey: 'a', text: 'kept' } },
    ]);
    expect(etags[0]).toMatch(/^W\/"datetime'/);
    expect(proxy.seen.slice(before).filter((request) => request.url.includes('$batch'))).toHaveLength(4);
    expect((await client.getEntity('retry', 'a')).text).toBe('kept');
  }, 30_000);

  it('gives up after the SDK default of 3 retries with the service status as a RestError', async () => {
    const query = new TableQuery(client, { allowInsecureConnection: true });
    proxy.decideWith(() => ({
      status: 503,
      headers: { 'Retry-After': '0', 'Content-Type': 'application/json' },
      body: JSON.stringify({ 'odata.error': { code: 'ServerBusy', message: { value: 'Busy.' } } }),
    }));
    const before = proxy.seen.length;
    await expect(query.pages(odata`PartitionKey eq ${'busy'}`).next()).rejects.toMatchObject({
      name: 'RestError',
      statusCode: 503,
      code: 'ServerBusy',
    });
    expect(proxy.seen.length - before).toBe(4);
  });

  it('sends on the whole pipeline when a proxy is configured or the client has a policy of its own', async () => {
    const saved = process.env.HTTPS_PROXY;
    process.env.HTTPS_PROXY = 'http://127.0.0.1:9';
    try {
      expect(leanChain(client, createDefaultHttpClient())).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.HTTPS_PROXY;
      else process.env.HTTPS_PROXY = saved;
    }
    const own = TableClient.fromConnectionString(
      throughProxy(azurite().connectionString, proxy.port),
      'RequestTest',
      { allowInsecureConnection: true },
    );
    const marked: string[] = [];
    own.pipeline.addPolicy({
      name: 'markingPolicy',
      sendRequest(request, next) {
        marked.push(request.url);
        request.headers.set('x-marked', 'yes');
        return next(request);
      },
    });
    expect(leanChain(own, createDefaultHttpClient())).toBeUndefined();
    const before = proxy.seen.length;
    await new TableQuery(own, { allowInsecureConnection: true })
      .pages(odata`PartitionKey eq ${'own'}`)
      .next();
    expect(marked).toHaveLength(1);
    expect(proxy.seen[before]?.headers['x-marked']).toBe('yes');
  });
});

const BEARER_CHILD = path.resolve(__dirname, 'support/bearer-query-child.ts');

function childOutcome(env: NodeJS.ProcessEnv): Promise<{ ok: boolean; pages?: unknown[]; scopes?: unknown }> {
  return tsChildOutcome(BEARER_CHILD, env, 'query');
}

const missing = opensslMissing();
if (missing && !process.env.CI) process.stderr.write(`Skipping the bearer token test: ${missing}.\n`);

describe('Table requests with an Entra ID token credential', () => {
  (missing && !process.env.CI ? it.skip : it)(
    'send the bearer token of the storage scope over HTTPS, fetched once for many requests',
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'table-bearer-'));
      const certificate = makeSelfSignedCertificate(dir);
      const authorizations: (string | undefined)[] = [];
      const server = https.createServer(
        { cert: fs.readFileSync(certificate.cert), key: fs.readFileSync(certificate.key) },
        (request, response) => {
          authorizations.push(request.headers.authorization);
          request.resume();
          response.writeHead(200, { 'Content-Type': 'application/json;odata=nometadata' });
          response.end(JSON.stringify({ value: [{ PartitionKey: 'p', RowKey: 'r', text: 'hello' }] }));
        },
      );
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const port = (server.address() as AddressInfo).port;
        const outcome = await childOutcome({
          PATH: process.env.PATH,
          NODE_EXTRA_CA_CERTS: certificate.cert,
          TABLE_URL: `https://127.0.0.1:${port}/account`,
        });
        const page = [{ PartitionKey: 'p', RowKey: 'r', text: 'hello' }];
        expect(outcome).toEqual({
          ok: true,
          pages: [page, page, page],
          scopes: [['https://storage.azure.com/.default']],
        });
        expect(authorizations).toEqual(['Bearer token-1', 'Bearer token-1', 'Bearer token-1']);
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    30_000,
  );

  it('refuses to send a bearer token over plain HTTP, as the SDK does', async () => {
    const credential = {
      getToken: () => Promise.resolve({ token: 't', expiresOnTimestamp: Date.now() + 60_000 }),
    };
    const client = new TableClient('http://127.0.0.1:9/account', 'Tokens', credential);
    const query = new TableQuery(client);
    await expect(query.pages(odata`PartitionKey eq ${'p'}`).next()).rejects.toThrow(/https/i);
  });
});
