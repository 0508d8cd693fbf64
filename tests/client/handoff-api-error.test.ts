import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HandoffClient } from '../../src/client/handoff-client';
import { HandoffApiError } from '../../src/client/handoff-api-error';
import { DurableHandoffError, WorkflowInputError } from '../../src/core/errors';
import { startAppHost, type AppHost } from '../support/app-host';
import { ARTICLE_MESSAGE, articleSteps } from './support/dialogues';

/** The HandoffApiError a promise rejects with (fails the test if it resolves or rejects otherwise). */
async function apiError(promise: Promise<unknown>): Promise<HandoffApiError> {
  const error: unknown = await promise.then(
    (value) => {
      throw new Error(`expected a HandoffApiError, got ${JSON.stringify(value)}`);
    },
    (reason: unknown) => reason,
  );
  if (!HandoffApiError.isInstance(error)) throw error;
  return error;
}

describe('HandoffApiError from the API over real HTTP', () => {
  let app: AppHost;
  let client: HandoffClient;

  beforeAll(async () => {
    app = await startAppHost();
    client = new HandoffClient({ baseUrl: app.host.baseUrl });
  });
  afterAll(async () => {
    await app?.stop();
  });

  /** A finished run of the article's workflow. */
  async function finishedRun() {
    app.model.reset();
    app.model.addSteps(...articleSteps());
    const run = await client.startRun('customer_support', { message: ARTICLE_MESSAGE, mode: 'autonomous' });
    for await (const _event of client.runStream(run)) {
      // drain to the output event
    }
    return run;
  }

  it('is 401 unauthorized when a run-scoped call has neither the token nor a function key', async () => {
    const run = await finishedRun();
    const error = await apiError(client.status({ workflow: run.workflow, runId: run.runId }));
    expect(error).toMatchObject({ status: 401, code: 'unauthorized', isRetryable: false });
    expect(error.message).toContain('Authorization: Bearer');
    expect(error.request).toBe(`GET ${app.api}/workflows/customer_support/status/${run.runId}`);
    expect(error).toBeInstanceOf(DurableHandoffError);
    expect(DurableHandoffError.isInstance(error)).toBe(true);
  });

  it("is 403 forbidden with another run's token", async () => {
    const first = await finishedRun();
    const second = await finishedRun();
    const error = await apiError(client.status({ ...second, token: first.token }));
    expect(error).toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('is 404 for an unknown workflow (naming the known ones) and for an unknown run', async () => {
    const workflow = await apiError(client.startRun('no_such_workflow', { message: 'hello' }));
    expect(workflow).toMatchObject({ status: 404, code: 'workflow_not_found' });
    expect(workflow.message).toContain('customer_support');

    const operator = new HandoffClient({ baseUrl: app.host.baseUrl, functionKey: app.host.functionKey });
    const run = await apiError(operator.status({ workflow: 'customer_support', runId: 'never-started' }));
    expect(run).toMatchObject({ status: 404, code: 'run_not_found' });
  });

  it('is 409 for a reply or a terminate after the run ended, and for a run id already taken', async () => {
    const run = await finishedRun();
    const reply = await apiError(client.respond(run, 'Are you there?'));
    expect(reply).toMatchObject({ status: 409, code: 'run_finished', details: { state: 'completed' } });
    const terminate = await apiError(client.terminate(run));
    expect(terminate).toMatchObject({ status: 409, code: 'run_finished' });
    const operator = new HandoffClient({ baseUrl: app.host.baseUrl, functionKey: app.host.functionKey });
    const again = await apiError(
      operator.startRun('customer_support', { message: ARTICLE_MESSAGE, runId: run.runId }),
    );
    expect(again).toMatchObject({ status: 409, code: 'run_exists' });
  });

  it('is 400 invalid_request for an empty message, with the API message that says what to send', async () => {
    const error = await apiError(client.startRun('customer_support', { message: '   ' }));
    expect(error).toMatchObject({ status: 400, code: 'invalid_request' });
    expect(error.message).toContain('message must not be empty');
  });

  it('is http_error when the route prefix is wrong, and says to check it', async () => {
    const lost = new HandoffClient({ baseUrl: app.host.baseUrl, routePrefix: 'v2' });
    const error = await apiError(lost.listWorkflows());
    expect(error).toMatchObject({ status: 404, code: 'http_error' });
    expect(error.message).toContain('routePrefix');
  });

  it('ends a stream at once, without retrying, when the run cannot be opened', async () => {
    let requests = 0;
    const counting = new HandoffClient({
      baseUrl: app.host.baseUrl,
      fetch: (input, init) => {
        requests += 1;
        return fetch(input, init);
      },
    });
    const stream = counting.runStream({ workflow: 'customer_support', runId: 'x', token: 'dh1.forged' });
    const error = await apiError(
      (async () => {
        for await (const _event of stream) {
          // never reached
        }
      })(),
    );
    expect(error).toMatchObject({ status: 403, code: 'forbidden' });
    expect(requests).toBe(1);
  });
});

describe('HandoffApiError without an answer', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  it('is connection_failed with status 0 and retryable when the server drops every connection', async () => {
    server = createServer((request) => request.socket.destroy());
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = new HandoffClient({ baseUrl: `http://127.0.0.1:${port}` });
    const error = await apiError(client.listWorkflows());
    expect(error).toMatchObject({ status: 0, code: 'connection_failed', isRetryable: true });
    expect(error.message).toContain(`GET http://127.0.0.1:${port}/api/workflows got no answer`);
  });

  it('refuses a baseUrl that is not an http(s) URL, naming the option', () => {
    expect(() => new HandoffClient({ baseUrl: 'localhost:7071' })).toThrow(WorkflowInputError);
    expect(() => new HandoffClient({ baseUrl: 'ftp://example.com' })).toThrow(
      /baseUrl must be an http\(s\) URL/,
    );
  });
});
