import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHost, type RunningHost } from '../../../devhost/host';
import type { LogEntry } from '../../../devhost/log';
import { send, waitFor, type ClientResponse } from '../http/http-client';

const durableApp = path.join(__dirname, '../../fixtures/apps/durable-conformance');

/** The management URLs createCheckStatusResponse returns. */
interface CheckStatus {
  id: string;
  statusQueryGetUri: string;
  sendEventPostUri: string;
  terminatePostUri: string;
  purgeHistoryDeleteUri: string;
}

interface Status {
  runtimeStatus: string;
  output: unknown;
}

async function startOrchestration(host: RunningHost, name: string, input: unknown): Promise<CheckStatus> {
  const res = await send(`${host.baseUrl}/api/orchestrators/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-functions-key': host.functionKey },
    body: JSON.stringify(input),
  });
  expect(res.status).toBe(202);
  const body = res.json<CheckStatus>();
  expect(res.headers.location).toBe(body.statusQueryGetUri);
  return body;
}

async function statusOnceItIs(url: string, runtimeStatus: string): Promise<Status> {
  let last: ClientResponse | undefined;
  await waitFor(`instance status ${runtimeStatus} at ${url}`, async () => {
    last = await send(url);
    return last.json<Status>().runtimeStatus === runtimeStatus;
  });
  return (last as ClientResponse).json<Status>();
}

describe('startHost with a Durable Functions app', () => {
  let host: RunningHost | undefined;
  let dataDir: string | undefined;
  const logs: LogEntry[] = [];
  const log = (entry: LogEntry) => logs.push(entry);

  afterEach(async () => {
    await host?.stop();
    host = undefined;
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  });

  it('runs an orchestration started over HTTP and serves the status URL createCheckStatusResponse returns', async () => {
    host = await startHost({ appDir: durableApp, port: 0, storage: 'memory', log });
    expect(host.durable).toBeDefined();
    const check = await startOrchestration(host, 'activityChain', 'Tokyo');
    // getClient() kept the real port because the host set WEBSITE_HOSTNAME.
    expect(new URL(check.statusQueryGetUri).origin).toBe(host.baseUrl);
    expect(check.statusQueryGetUri).toContain('/runtime/webhooks/durabletask/instances/');
    const done = await statusOnceItIs(check.statusQueryGetUri, 'Completed');
    expect(done.output).toEqual(['Hello Tokyo 1', 'Hello Tokyo 2', 'Hello Tokyo 3']);
  });

  it('raises events, terminates and purges through the webhook URLs, as a client written for Azure does', async () => {
    host = await startHost({ appDir: durableApp, port: 0, storage: 'memory', log });
    const waiting = await startOrchestration(host, 'eventOrTimer', { timeoutMs: 3_600_000 });
    await statusOnceItIs(waiting.statusQueryGetUri, 'Running');
    const raised = await send(waiting.sendEventPostUri.replace('{eventName}', 'approve'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ by: 'test' }),
    });
    expect(raised.status).toBe(202);
    const approved = await statusOnceItIs(waiting.statusQueryGetUri, 'Completed');
    expect(approved.output).toMatchObject({ winner: 'event', value: { by: 'test' } });

    const other = await startOrchestration(host, 'eventOrTimer', { timeoutMs: 3_600_000 });
    await statusOnceItIs(other.statusQueryGetUri, 'Running');
    const terminated = await send(other.terminatePostUri.replace('{text}', 'enough'), { method: 'POST' });
    expect(terminated.status).toBe(202);
    await statusOnceItIs(other.statusQueryGetUri, 'Terminated');

    const purged = await send(other.purgeHistoryDeleteUri, { method: 'DELETE' });
    expect(purged.status).toBe(200);
    expect(purged.json()).toEqual({ instancesDeleted: 1 });
    expect((await send(other.statusQueryGetUri)).status).toBe(404);
  });

  it('keeps durable state in Azurite across a restart with the same data folder', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'devhost-data-'));
    host = await startHost({ appDir: durableApp, port: 0, storage: 'azurite', dataDir, log });
    expect(host.storage.description).toContain(path.join(dataDir, 'azurite'));
    const waiting = await startOrchestration(host, 'eventOrTimer', { timeoutMs: 3_600_000 });
    await statusOnceItIs(waiting.statusQueryGetUri, 'Running');
    await host.stop();

    host = await startHost({ appDir: durableApp, port: 0, storage: 'azurite', dataDir, log });
    // The same data folder keeps the master key, so the URLs handed out before the restart still work.
    expect(new URL(waiting.statusQueryGetUri).searchParams.get('code')).toBe(host.masterKey);
    const statusUrl = `${host.baseUrl}/runtime/webhooks/durabletask/instances/${waiting.id}?code=${host.masterKey}`;
    await statusOnceItIs(statusUrl, 'Running');
    const raised = await send(
      `${host.baseUrl}/runtime/webhooks/durabletask/instances/${waiting.id}/raiseEvent/approve`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-functions-key': host.masterKey },
        body: '"after restart"',
      },
    );
    expect(raised.status).toBe(202);
    const done = await statusOnceItIs(statusUrl, 'Completed');
    expect(done.output).toMatchObject({ winner: 'event', value: 'after restart' });
  });
});
