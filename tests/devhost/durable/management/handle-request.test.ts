import { startHarness, type EngineHarness } from '../support/engine-harness';

describe('the Durable HTTP management API', () => {
  let h: EngineHarness;
  let api: string;
  let rpc: string;

  beforeAll(async () => {
    h = await startHarness();
    api = `${h.server.origin}/runtime/webhooks/durabletask`;
    rpc = `${h.server.origin}/durabletask`;
  });

  afterAll(async () => {
    await h.stop();
  });

  const post = (url: string, body?: string, contentType = 'application/json') =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': contentType },
      ...(body === undefined ? {} : { body }),
    });

  it('answers a start with 202, the management links and Location/Retry-After headers', async () => {
    const response = await post(`${rpc}/orchestrators/activityChain/http-start`, '"Lin"');
    expect(response.status).toBe(202);
    expect(response.headers.get('retry-after')).toBe('10');
    const body = (await response.json()) as Record<string, string>;
    expect(body.id).toBe('http-start');
    expect(response.headers.get('location')).toBe(body.statusQueryGetUri);
    expect(Object.keys(body).sort()).toEqual([
      'id',
      'purgeHistoryDeleteUri',
      'restartPostUri',
      'resumePostUri',
      'sendEventPostUri',
      'statusQueryGetUri',
      'suspendPostUri',
      'terminatePostUri',
    ]);
    await h.finished('http-start');
  });

  it('rejects invalid JSON, an unknown orchestrator and bad instance ids with 400 and the reason', async () => {
    const badJson = await post(`${api}/orchestrators/activityChain`, '{nope');
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ Message: 'Invalid JSON content' });

    const unknown = await post(`${api}/orchestrators/noSuchOrchestrator`, '1');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({
      Message: 'One or more of the arguments submitted is incorrect',
      ExceptionMessage: expect.stringContaining(
        "The function 'noSuchOrchestrator' doesn't exist, is disabled, or is not an orchestrator function.",
      ),
    });

    const at = await post(`${api}/orchestrators/activityChain/@entity`, '1');
    expect(at.status).toBe(400);
    expect(await at.json()).toMatchObject({
      ExceptionMessage: expect.stringContaining('must not start with @'),
    });

    const long = await post(`${api}/orchestrators/activityChain/${'x'.repeat(257)}`, '1');
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({
      ExceptionMessage: 'Instance ID lengths must not exceed 256 characters.',
    });
  });

  it('answers 409 with the message when a running instance id is started again, as the extension does', async () => {
    expect((await post(`${api}/orchestrators/waitForApproval/dup-http`)).status).toBe(202);
    const again = await post(`${api}/orchestrators/waitForApproval/dup-http`);
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({
      Message: 'An Orchestration instance with the status Running already exists.',
    });
    await h.engine.client.terminate('dup-http', 'cleanup');
    await h.finished('dup-http');
  });

  it('waits for completion when asked to and answers with the output', async () => {
    const response = await post(
      `${api}/orchestrators/activityChain/http-wait?timeout=5&pollingInterval=1`,
      '"Wait"',
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(['Hello Wait 1', 'Hello Wait 2', 'Hello Wait 3']);
  });

  it('answers get-status with 202 while running, 200 once failed, and 404 for a missing instance', async () => {
    await post(`${api}/orchestrators/waitForApproval/status-http`);
    await h.settle();
    const running = await fetch(`${api}/instances/status-http`);
    expect(running.status).toBe(202);
    expect(running.headers.get('location')).toBe(`${api}/instances/status-http`);
    expect(await running.json()).toMatchObject({ runtimeStatus: 'Running', input: null, output: null });
    await h.engine.client.terminate('status-http', 'done');
    await h.finished('status-http');

    await post(`${api}/orchestrators/throwsAfterActivity/failed-http`);
    await h.finished('failed-http');
    expect((await fetch(`${api}/instances/failed-http`)).status).toBe(200);
    expect((await fetch(`${api}/instances/failed-http?returnInternalServerErrorOnFailure=true`)).status).toBe(
      500,
    );
    expect((await fetch(`${api}/instances/no-such-instance`)).status).toBe(404);
  });

  it('decodes percent-encoded instance ids and event names in paths', async () => {
    expect((await post(`${api}/orchestrators/waitForApproval/with%20space`)).status).toBe(202);
    await h.settle();
    expect((await post(`${api}/instances/with%20space/raiseEvent/approve`, '"ok"')).status).toBe(202);
    expect(await h.finished('with space')).toMatchObject({ output: { approved: 'ok' } });
  });

  it('accepts events only as JSON, and answers 410 for finished and 404 for missing instances', async () => {
    await post(`${api}/orchestrators/waitForApproval/raise-http`);
    const text = await post(`${api}/instances/raise-http/raiseEvent/approve`, 'hello', 'text/plain');
    expect(text.status).toBe(400);
    expect(await text.json()).toEqual({ Message: 'Only application/json request content is supported' });
    const invalid = await post(`${api}/instances/raise-http/raiseEvent/approve`, '{');
    expect(invalid.status).toBe(400);
    expect((await post(`${api}/instances/raise-http/raiseEvent/approve`, '"yes"')).status).toBe(202);
    await h.finished('raise-http');
    expect((await post(`${api}/instances/raise-http/raiseEvent/approve`, '"again"')).status).toBe(410);
    expect((await post(`${api}/instances/no-such/raiseEvent/approve`, '1')).status).toBe(404);
    expect((await post(`${api}/instances/raise-http/terminate?reason=late`)).status).toBe(410);
    expect((await post(`${api}/instances/no-such/terminate?reason=x`)).status).toBe(404);
  });

  it('pages a query with top and the continuation header, and filters by status and id prefix', async () => {
    for (const id of ['page-a', 'page-b', 'page-c'])
      await post(`${api}/orchestrators/activityChain/${id}`, '"p"');
    await h.settle();
    const first = await fetch(`${api}/instances/?instanceIdPrefix=page-&top=2&runtimeStatus=Completed`);
    expect(first.status).toBe(200);
    const token = first.headers.get('x-ms-continuation-token');
    expect(token).toBeTruthy();
    const firstPage = (await first.json()) as Array<{ instanceId: string; input: unknown }>;
    expect(firstPage.map((s) => s.instanceId)).toEqual(['page-a', 'page-b']);
    expect(firstPage[0]!.input).toBeNull();
    const second = await fetch(`${api}/instances/?instanceIdPrefix=page-&top=2&runtimeStatus=Completed`, {
      headers: { 'x-ms-continuation-token': token! },
    });
    expect(((await second.json()) as Array<{ instanceId: string }>).map((s) => s.instanceId)).toEqual([
      'page-c',
    ]);
    expect(second.headers.get('x-ms-continuation-token')).toBeNull();
    const running = await fetch(`${api}/instances/?instanceIdPrefix=page-&runtimeStatus=Running`);
    expect(await running.json()).toEqual([]);
  });

  it('purges by filter, requiring createdTimeFrom, and answers 404 when nothing matched', async () => {
    const missing = await fetch(`${api}/instances/`, { method: 'DELETE' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toBe("Please provide value for 'createdTimeFrom' parameter.");
    const from = encodeURIComponent(h.clock.now().toISOString());
    await post(`${api}/orchestrators/activityChain/purge-filter`, '"x"');
    await h.finished('purge-filter');
    const purged = await fetch(`${api}/instances/?createdTimeFrom=${from}&runtimeStatus=Completed`, {
      method: 'DELETE',
    });
    expect(purged.status).toBe(200);
    expect(((await purged.json()) as { instancesDeleted: number }).instancesDeleted).toBeGreaterThanOrEqual(
      1,
    );
    const again = await fetch(`${api}/instances/?createdTimeFrom=${from}&runtimeStatus=Completed`, {
      method: 'DELETE',
    });
    expect(again.status).toBe(404);
  });

  it('refuses to purge an instance that has not finished (412, as the extension 3.x does)', async () => {
    await post(`${api}/orchestrators/waitForApproval/purge-running`);
    await h.settle();
    const refused = await fetch(`${api}/instances/purge-running`, { method: 'DELETE' });
    expect(refused.status).toBe(412);
    expect(await refused.json()).toBe(
      'Only orchestrations in a terminal state can be purged, but the orchestration with instance ID purge-running has status Running',
    );
    expect((await h.engine.client.getStatus('purge-running'))?.runtimeStatus).toBe('Running');
    await h.engine.client.terminate('purge-running', 'done');
    await h.finished('purge-running');
    const purged = await fetch(`${api}/instances/purge-running`, { method: 'DELETE' });
    expect(purged.status).toBe(200);
    expect(await purged.json()).toEqual({ instancesDeleted: 1 });
  });

  it('purges by filter on the terminal statuses of the filter only, as the Azure Storage provider does', async () => {
    const from = encodeURIComponent(h.clock.now().toISOString());
    await post(`${api}/orchestrators/waitForApproval/purge-filter-running`);
    await h.settle();
    const none = await fetch(`${api}/instances/?createdTimeFrom=${from}&runtimeStatus=Completed`, {
      method: 'DELETE',
    });
    expect(none.status).toBe(404);
    expect((await h.engine.client.getStatus('purge-filter-running'))?.runtimeStatus).toBe('Running');
    await h.engine.client.terminate('purge-filter-running', 'done');
    await h.finished('purge-filter-running');
  });

  it('answers rewind with 404 or 412 as the extension does, and 501 for a failed instance', async () => {
    expect(await (await post(`${api}/instances/rewind-missing/rewind`)).json()).toBe(
      'No orchestration with instance ID "$rewind-missing" found.',
    );
    await post(`${api}/orchestrators/waitForApproval/rewind-http`);
    await h.settle();
    const running = await post(`${api}/instances/rewind-http/rewind?reason=x`);
    expect(running.status).toBe(412);
    expect(await running.json()).toBe(
      'This orchestration has status Running, but only orchestrations in the "Failed" state can be rewound.',
    );
    await h.engine.client.terminate('rewind-http', 'done');
    await h.finished('rewind-http');
    await post(`${api}/orchestrators/throwsAfterActivity/rewind-failed`, '"x"');
    expect(await h.finished('rewind-failed')).toMatchObject({ runtimeStatus: 'Failed' });
    expect((await post(`${api}/instances/rewind-failed/rewind?reason=x`)).status).toBe(501);
  });

  it('answers entities with 501 and unknown routes with 404', async () => {
    expect((await fetch(`${api}/entities/counter/one`)).status).toBe(501);
    expect((await fetch(`${api}/nothing/here`)).status).toBe(404);
    expect((await fetch(`${api}/orchestrators/activityChain`)).status).toBe(404);
  });
});
