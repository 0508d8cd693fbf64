import { HttpRequest, InvocationContext } from '@azure/functions';
import { useInMemoryAzurite } from '../support/in-memory-azurite';
import { TableRunClaims } from '../../src/durable/store/run-claims';
import { startRun, type StartRunDeps } from '../../src/functions/run-start';
import { StartLimiter } from '../../src/http/start-limiter';
import { FunctionKeyValidator } from '../../src/http/key-check';
import { withApiErrors } from '../../src/http/with-api-errors';
import type { RunManagementClient } from '../../src/http/run-management-client';
import { RunTokens } from '../../src/http/run-token';
import { workflowRegistry } from '../../sample/src/workflows';

const tokens = new RunTokens('test-secret-of-sufficient-length');

// The claims of chosen run ids live in Table storage: an Azurite of the file's own.
const azurite = useInMemoryAzurite('run-start');
let claims: TableRunClaims;
beforeAll(() => {
  claims = new TableRunClaims({
    kind: 'connection-string',
    connectionString: azurite().connectionString,
    tablePrefix: 'RunStartTest',
  });
});

/** A Durable client that records what the handler asks of it (the handler's only collaborator). */
function recordingClient(existing: string[] = []) {
  const started: Array<{ name: string; instanceId: string; input: unknown }> = [];
  const client: RunManagementClient = {
    startNew: (name, options) => {
      started.push({ name, ...options });
      return Promise.resolve(options.instanceId);
    },
    raiseEvent: () => Promise.resolve(),
    getStatus: (id) =>
      Promise.resolve(
        existing.includes(id) || started.some((s) => s.instanceId === id)
          ? { runtimeStatus: 'Running', input: {}, output: null, customStatus: null }
          : undefined,
      ),
  };
  return { client, started };
}

function post(name: string, body: string | undefined, headers: Record<string, string> = {}) {
  return new HttpRequest({
    method: 'POST',
    url: `http://localhost:7071/api/workflows/${name}/run`,
    params: { name },
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: { string: body } }),
  });
}

async function call(
  request: HttpRequest,
  existing: string[] = [],
  routePrefix = 'api',
  extra: Partial<StartRunDeps> = {},
) {
  const { client, started } = recordingClient(existing);
  const handler = withApiErrors((req, ctx) =>
    startRun(req, ctx, {
      workflows: workflowRegistry,
      client,
      claims,
      tokens,
      routePrefix,
      linkOrigin: 'http://localhost:7071',
      keyRequired: true,
      ...extra,
    }),
  );
  const response = await handler(request, new InvocationContext({ functionName: 'startRun' }));
  return {
    response,
    started,
    body: (response as { jsonBody?: unknown }).jsonBody as {
      error?: { code: string; message: string };
    } & Record<string, unknown>,
  };
}

describe('POST /api/workflows/{name}/run', () => {
  it('starts a run and answers 202 with its id, token and URLs', async () => {
    const { response, started, body } = await call(
      post('customer_support', JSON.stringify({ message: 'Where is my parcel?', runId: 'run-42' })),
    );
    expect(response.status).toBe(202);
    expect(body).toMatchObject({
      runId: 'run-42',
      workflow: 'customer_support',
      statusUri: 'http://localhost:7071/api/workflows/customer_support/status/run-42',
      respondUri: 'http://localhost:7071/api/workflows/customer_support/respond/run-42',
      eventsUri: 'http://localhost:7071/api/workflows/customer_support/events/run-42',
    });
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ name: 'handoffOrchestrator', instanceId: 'run-42' });
    // The token is bound to the instance the start made: its nonce is in the run's input.
    const nonce = (started[0]!.input as { nonce: string }).nonce;
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(tokens.check('run-42', body.token as string)).toMatchObject({
      kind: 'valid',
      claims: { runId: 'run-42', nonce },
    });
  });

  it.each([
    ['interactive', 'human_in_loop'],
    ['human_in_loop', 'human_in_loop'],
    ['autonomous', 'autonomous'],
  ])(
    "starts a run in the mode the body names ('%s', the article's name for human_in_loop included)",
    async (mode, expected) => {
      const { response, started } = await call(
        post('customer_support', JSON.stringify({ message: 'hi', mode })),
      );
      expect(response.status).toBe(202);
      expect((started[0]!.input as { mode: string }).mode).toBe(expected);
    },
  );

  it.each([
    ['malformed JSON', '{"message": ', 400, 'invalid_json'],
    ['an empty body', '', 400, 'invalid_json'],
    ['a missing message', '{}', 400, 'invalid_request'],
    ['an empty message', '{"message": "   "}', 400, 'invalid_request'],
    ['a message of the wrong type', '{"message": 42}', 400, 'invalid_request'],
    ['a message over 32 KiB', JSON.stringify({ message: 'x'.repeat(32 * 1024 + 1) }), 400, 'invalid_request'],
    ['an unknown mode', '{"message": "hi", "mode": "chaos"}', 400, 'invalid_request'],
    ['an unknown field', '{"message": "hi", "mesage": "typo"}', 400, 'invalid_request'],
    ['a run id with a slash', '{"message": "hi", "runId": "a/b"}', 400, 'invalid_request'],
    ['a body over the limit', JSON.stringify({ message: 'x'.repeat(70 * 1024) }), 413, 'payload_too_large'],
  ])('rejects %s and starts nothing', async (_label, body, status, code) => {
    const { response, started, body: json } = await call(post('customer_support', body));
    expect(response.status).toBe(status);
    expect(json.error?.code).toBe(code);
    expect(json.error?.message.length).toBeGreaterThan(10);
    expect(started).toHaveLength(0);
  });

  it('answers 404 for an unknown workflow, naming the workflows that exist', async () => {
    const { response, body } = await call(post('nope', '{"message":"hi"}'));
    expect(response.status).toBe(404);
    expect(body.error).toMatchObject({ code: 'workflow_not_found' });
    expect(body.error?.message).toContain('customer_support');
  });

  it('answers 409 when the run id already exists', async () => {
    const { response, started, body } = await call(
      post('customer_support', '{"message":"hi","runId":"taken"}'),
      ['taken'],
    );
    expect(response.status).toBe(409);
    expect(body.error?.code).toBe('run_exists');
    expect(started).toHaveLength(0);
  });

  it('answers 503 run_starting with Retry-After while another start holds the id and no run of it exists', async () => {
    // A start that claimed the id 5 s ago and has not started its instance (under way, or its host crashed).
    const now = Date.now();
    await claims.insert('held-by-a-start', 'n'.repeat(22), now - 5_000);
    const { response, started, body } = await call(
      post('customer_support', '{"message":"hi","runId":"held-by-a-start"}'),
      [],
      'api',
      { now: () => now },
    );
    expect(response.status).toBe(503);
    expect(body.error).toMatchObject({ code: 'run_starting', retryAfterSeconds: 25 });
    expect((response.headers as Record<string, string>)['retry-after']).toBe('25');
    expect(started).toHaveLength(0);
  });

  it.each([
    ['support/v1', 'http://localhost:7071/support/v1/workflows/customer_support/status/run-7'],
    ['', 'http://localhost:7071/workflows/customer_support/status/run-7'],
  ])("links the run's endpoints under the app's route prefix ('%s')", async (routePrefix, statusUri) => {
    const request = new HttpRequest({
      method: 'POST',
      url: 'http://localhost:7071/whatever/workflows/customer_support/run',
      params: { name: 'customer_support' },
      headers: { 'content-type': 'application/json' },
      body: { string: '{"message":"hi","runId":"run-7"}' },
    });
    const { response, body } = await call(request, [], routePrefix);
    expect(body.statusUri).toBe(statusUri);
    expect(body.eventsUri).toBe(statusUri.replace('/status/', '/events/'));
    expect(response.headers).toMatchObject({ location: statusUri });
  });

  it("builds the run's links on the configured origin, never on the client's Host header", async () => {
    const request = () =>
      new HttpRequest({
        method: 'POST',
        url: 'http://evil.example/api/workflows/customer_support/run',
        params: { name: 'customer_support' },
        headers: {
          'content-type': 'application/json',
          host: 'evil.example',
          'x-forwarded-host': 'evil.example',
        },
        body: { string: '{"message":"hi"}' },
      });
    const configured = await call(request(), [], 'api', { linkOrigin: 'https://support.example.com' });
    expect(configured.body.statusUri).toMatch(/^https:\/\/support\.example\.com\/api\/workflows\//);
    const relative = await call(request(), [], 'api', { linkOrigin: '' });
    expect(relative.body.statusUri).toMatch(/^\/api\/workflows\/customer_support\/status\//);
    expect(JSON.stringify([configured.body, relative.body, relative.response.headers])).not.toContain('evil');
  });

  it.each([
    ['text/plain (a cross-site "simple" request)', 'text/plain;charset=UTF-8'],
    ['a form', 'application/x-www-form-urlencoded'],
    ['no Content-Type', undefined],
  ])('answers 415 to a body sent as %s and starts nothing', async (_label, type) => {
    const request = new HttpRequest({
      method: 'POST',
      url: 'http://localhost:7071/api/workflows/customer_support/run',
      params: { name: 'customer_support' },
      headers: type === undefined ? {} : { 'content-type': type },
      body: { string: '{"message":"hi"}' },
    });
    const { response, started, body } = await call(request);
    expect(response.status).toBe(415);
    expect(body.error?.code).toBe('unsupported_media_type');
    expect(body.error?.message).toContain('application/json');
    expect(started).toHaveLength(0);
  });

  describe('an anonymous caller', () => {
    const noKeys = new FunctionKeyValidator({ baseUrl: () => undefined, routePrefix: 'api' });
    const anonymous = (extra: Partial<StartRunDeps> = {}): Partial<StartRunDeps> => ({
      keyRequired: false,
      keys: noKeys,
      ...extra,
    });

    it('may not choose a run id, so a 409 cannot tell it which ids are taken', async () => {
      const taken = await call(
        post('customer_support', '{"message":"hi","runId":"taken"}'),
        ['taken'],
        'api',
        anonymous(),
      );
      const free = await call(
        post('customer_support', '{"message":"hi","runId":"free"}'),
        [],
        'api',
        anonymous(),
      );
      for (const answer of [taken, free]) {
        expect(answer.response.status).toBe(403);
        expect(answer.body.error?.message).toContain('function key');
        expect(answer.started).toHaveLength(0);
      }
      expect(taken.body).toEqual(free.body);
    });

    it('is held to the start limits per client address and per workflow, with Retry-After', async () => {
      let now = 0;
      const limiter = new StartLimiter({ perClient: 2, perWorkflow: 3, now: () => now });
      const from = (address: string) =>
        post('customer_support', '{"message":"hi"}', { 'x-forwarded-for': `203.0.113.9, ${address}:51234` });
      const deps = anonymous({ limiter, clientIpHops: 1 });
      const statuses = async (address: string, n: number) => {
        const out: number[] = [];
        for (let i = 0; i < n; i += 1)
          out.push((await call(from(address), [], 'api', deps)).response.status ?? 200);
        return out;
      };
      expect(await statuses('198.51.100.1', 3)).toEqual([202, 202, 429]);
      // The spoofable entries the client wrote before the trusted one do not make it another client.
      expect(await statuses('198.51.100.2', 2)).toEqual([202, 429]); // the workflow's 3 are spent
      const limited = await call(from('198.51.100.3'), [], 'api', deps);
      expect(limited.body.error?.code).toBe('rate_limited');
      expect(limited.response.headers).toMatchObject({ 'retry-after': expect.stringMatching(/^\d+$/) });
      now += 60_000;
      expect(await statuses('198.51.100.1', 1)).toEqual([202]);
      // A key holder is not limited.
      expect(
        (await call(from('198.51.100.1'), [], 'api', { limiter, clientIpHops: 1 })).response.status,
      ).toBe(202);
    });

    it('may not send a message longer than the app allows', async () => {
      const { response, body, started } = await call(
        post('customer_support', JSON.stringify({ message: 'x'.repeat(501) })),
        [],
        'api',
        anonymous({ maxMessageChars: 500 }),
      );
      expect(response.status).toBe(400);
      expect(body.error?.message).toContain('DURABLE_HANDOFF_MAX_MESSAGE_CHARS');
      expect(started).toHaveLength(0);
    });
  });
});
