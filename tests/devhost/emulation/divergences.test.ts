/**
 * Behaviours where the local host's Durable emulation once differed from the real extension
 * (issue #10, "Divergences of the emulation already known"), checked over HTTP through the host.
 */
import path from 'node:path';
import { startHost, type RunningHost } from '../../../devhost/host';
import type { LogEntry } from '../../../devhost/log';
import { send, waitFor, type ClientResponse } from '../http/http-client';

const app = path.join(__dirname, '../../fixtures/apps/durable-divergences');

interface Status {
  runtimeStatus: string;
  output: unknown;
  historyEvents?: Record<string, unknown>[];
}

describe('the local host against the Durable extension (known divergences)', () => {
  let host: RunningHost;
  const logs: LogEntry[] = [];

  beforeAll(async () => {
    host = await startHost({ appDir: app, port: 0, storage: 'memory', log: (e) => logs.push(e) });
  });
  afterAll(async () => {
    await host.stop();
  });

  async function run(name: string, input: unknown, query = ''): Promise<{ id: string; status: Status }> {
    const res = await send(`${host.baseUrl}/api/start/${name}${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    expect(res.status).toBe(202);
    const { id, statusQueryGetUri } = res.json<{ id: string; statusQueryGetUri: string }>();
    let last: ClientResponse | undefined;
    await waitFor(`${name} to finish`, async () => {
      last = await send(`${statusQueryGetUri}&showHistory=true`);
      return ['Completed', 'Failed', 'Terminated'].includes(last.json<Status>().runtimeStatus);
    });
    return { id, status: (last as ClientResponse).json<Status>() };
  }

  it("logs that an activity's output binding was dropped, and completes the activity", async () => {
    const { status } = await run('queuesMessage', 'audit me');
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: 'queued' });
    const warnings = logs.filter((e) => e.level === 'warning' && e.functionName === 'writesToQueue');
    expect(warnings.map((e) => e.message)).toEqual([
      expect.stringMatching(
        /^The output binding 'queueOutput\w+' of 'writesToQueue' is not emulated by the local host; its value was dropped\.$/,
      ),
    ]);
  });

  it('gives the orchestrator a plain Error with the Reason and Details of a failed activity', async () => {
    const { status } = await run('catchesActivityFailure', { activity: 'failsPlainly', input: 'the order' });
    expect(status.output).toMatchObject({ caught: true, name: 'Error', failureDetails: null });
    expect((status.output as { message: string }).message).toContain(
      "Activity function 'failsPlainly' failed:  the order went wrong",
    );
  });

  it('gives the orchestrator a TaskFailedError with FailureDetails when the app registered an exception properties provider', async () => {
    const { status } = await run('catchesActivityFailure', { activity: 'refusesOrder', input: 'o-7' });
    expect(status.output).toEqual({
      caught: true,
      name: 'TaskFailedError',
      message: 'OrderRefusedError: order o-7 refused',
      failureDetails: {
        errorType: 'OrderRefusedError',
        errorMessage: 'order o-7 refused',
        properties: { orderId: 'o-7' },
      },
    });
    expect(status.historyEvents).toContainEqual(
      expect.objectContaining({
        EventType: 'TaskFailed',
        Reason: "Activity function 'refusesOrder' failed with an unhandled exception.",
      }),
    );
  });

  it("fails sub-orchestrations and callHttp in a way the orchestrator's try/catch catches, after the retries", async () => {
    const { status } = await run('catchesNotEmulated', null);
    expect(status.runtimeStatus).toBe('Completed');
    const caught = status.output as string[];
    expect(caught).toHaveLength(2);
    expect(caught[0]).toContain(
      "The local host does not emulate sub-orchestrations: 'child' was not started.",
    );
    expect(caught[1]).toContain('The local host does not emulate durable HTTP (callHttp)');
    const failures = (status.historyEvents ?? []).filter((e) => e.EventType === 'TaskFailed');
    expect(failures).toHaveLength(3);
  });

  it('fails the orchestration with the reason when nothing catches a sub-orchestration failure', async () => {
    const { status } = await run('callsChild', null);
    expect(status.runtimeStatus).toBe('Failed');
    expect(String(status.output)).toContain("does not emulate sub-orchestrations: 'child'");
  });
});

describe('functions disabled by AzureWebJobs.<name>.Disabled', () => {
  let host: RunningHost;
  const logs: LogEntry[] = [];

  beforeAll(async () => {
    host = await startHost({
      appDir: app,
      port: 0,
      storage: 'memory',
      log: (e) => logs.push(e),
      env: {
        'AzureWebJobs.hello.Disabled': 'true',
        'AzureWebJobs.echo.Disabled': '1',
        'AzureWebJobs.child.Disabled': 'True',
        'AzureWebJobs.writesToQueue.Disabled': 'false',
      },
    });
  });
  afterAll(async () => {
    await host.stop();
  });

  it('answers 404 for a disabled HTTP trigger, and runs it with the master key as Azure does', async () => {
    expect((await send(`${host.baseUrl}/api/hello`)).status).toBe(404);
    expect(
      (await send(`${host.baseUrl}/api/hello`, { headers: { 'x-functions-key': host.functionKey } })).status,
    ).toBe(404);
    const master = await send(`${host.baseUrl}/api/hello?code=${encodeURIComponent(host.masterKey)}`);
    expect(master.status).toBe(200);
    expect(master.text).toBe('hello');
    expect(logs.map((e) => e.message)).toContain(
      "Function 'hello' is disabled (AzureWebJobs.hello.Disabled).",
    );
  });

  it('fails an orchestration that calls a disabled activity with the extension message, and runs enabled ones', async () => {
    const res = await send(`${host.baseUrl}/api/start/catchesActivityFailure`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ activity: 'echo', input: 1 }),
    });
    expect(res.status).toBe(202);
    const { statusQueryGetUri } = res.json<{ statusQueryGetUri: string }>();
    let last: ClientResponse | undefined;
    await waitFor('the orchestration to fail', async () => {
      last = await send(statusQueryGetUri);
      return last.json<Status>().runtimeStatus === 'Failed';
    });
    expect(String((last as ClientResponse).json<Status>().output)).toContain(
      "The function 'echo' doesn't exist, is disabled, or is not an activity function.",
    );
    const queued = await send(`${host.baseUrl}/api/start/queuesMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '"still enabled"',
    });
    expect(queued.status).toBe(202);
  });

  it('refuses to start a disabled orchestrator', async () => {
    const res = await send(`${host.baseUrl}/runtime/webhooks/durabletask/orchestrators/child`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-functions-key': host.masterKey },
      body: '"x"',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain(
      "The function 'child' doesn't exist, is disabled, or is not an orchestrator function.",
    );
  });
});
