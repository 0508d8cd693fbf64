import { HttpRequest, InvocationContext } from '@azure/functions';
import { startRun } from '../../src/functions/run-start';
import { withApiErrors } from '../../src/http/with-api-errors';
import type { RunManagementClient } from '../../src/http/run-management-client';
import { RunTokens } from '../../src/http/run-token';
import { workflowRegistry } from '../../sample/src/workflows';

const tokens = new RunTokens('test-secret-of-sufficient-length');

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
        existing.includes(id)
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

async function call(request: HttpRequest, existing: string[] = [], routePrefix = 'api') {
  const { client, started } = recordingClient(existing);
  const handler = withApiErrors((req, ctx) =>
    startRun(req, ctx, { workflows: workflowRegistry, client, tokens, routePrefix }),
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
    expect(body.token).toBe(tokens.issue('run-42'));
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ name: 'handoffOrchestrator', instanceId: 'run-42' });
  });

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

  it.each([
    ['support/v1', 'http://localhost:7071/support/v1/workflows/customer_support/status/run-7'],
    ['', 'http://localhost:7071/workflows/customer_support/status/run-7'],
  ])("links the run's endpoints under the app's route prefix ('%s')", async (routePrefix, statusUri) => {
    const request = new HttpRequest({
      method: 'POST',
      url: 'http://localhost:7071/whatever/workflows/customer_support/run',
      params: { name: 'customer_support' },
      body: { string: '{"message":"hi","runId":"run-7"}' },
    });
    const { response, body } = await call(request, [], routePrefix);
    expect(body.statusUri).toBe(statusUri);
    expect(body.eventsUri).toBe(statusUri.replace('/status/', '/events/'));
    expect(response.headers).toMatchObject({ location: statusUri });
  });
});
