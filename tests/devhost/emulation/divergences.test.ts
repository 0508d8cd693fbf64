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
