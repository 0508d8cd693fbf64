/**
 * The local host's Durable management API takes the master key, as Azure's takes the system key,
 * unless the host runs with --open-management; the worker's own durable client reaches the engine
 * on a loopback RPC port of its own, without a key (the extension's 127.0.0.1:17071).
 */
import path from 'node:path';
import { startHost, type RunningHost } from '../../../devhost/host';
import { send, waitFor, type ClientResponse } from './http-client';

const app = path.join(__dirname, '../../fixtures/apps/durable-divergences');
const quiet = () => undefined;

interface CheckStatus {
  id: string;
  statusQueryGetUri: string;
  terminatePostUri: string;
  purgeHistoryDeleteUri: string;
}

describe('the Durable management API key', () => {
  let host: RunningHost;

  beforeAll(async () => {
    host = await startHost({ appDir: app, port: 0, storage: 'memory', log: quiet });
  });
  afterAll(async () => {
    await host.stop();
  });

  const api = () => `${host.baseUrl}/runtime/webhooks/durabletask`;

  it('refuses a request without the master key with 401 and a message that says what to pass', async () => {
    for (const url of [`${api()}/instances/`, `${host.baseUrl}/durabletask/instances/`]) {
      const res = await send(url);
      expect(res.status).toBe(401);
      expect(res.text).toContain("requires the host's master key");
      expect(res.text).toContain("'code' query parameter or the 'x-functions-key' header");
      expect(res.text).toContain('--open-management');
    }
    expect(
      (await send(`${api()}/instances/`, { headers: { 'x-functions-key': host.functionKey } })).status,
    ).toBe(401);
    expect((await send(`${api()}/instances/?code=wrong`)).status).toBe(401);
  });

  it('accepts the master key as code= or x-functions-key', async () => {
    expect((await send(`${api()}/instances/?code=${encodeURIComponent(host.masterKey)}`)).status).toBe(200);
    expect(
      (await send(`${api()}/instances/`, { headers: { 'x-functions-key': host.masterKey } })).status,
    ).toBe(200);
  });

  it('hands out management URLs that carry the key and work as given, while the app client reaches the engine', async () => {
    const res = await send(`${host.baseUrl}/api/start/catchesActivityFailure`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ activity: 'echo', input: 1 }),
    });
    expect(res.status).toBe(202);
    const check = res.json<CheckStatus>();
    expect(new URL(check.statusQueryGetUri).searchParams.get('code')).toBe(host.masterKey);
    let last: ClientResponse | undefined;
    await waitFor('the run to complete', async () => {
      last = await send(check.statusQueryGetUri);
      return last.status === 200 && last.json<{ runtimeStatus: string }>().runtimeStatus === 'Completed';
    });
    const purged = await send(check.purgeHistoryDeleteUri, { method: 'DELETE' });
    expect(purged.status).toBe(200);
  });

  it('serves the client RPC base on a loopback port of its own without a key, and nothing else there', async () => {
    expect(host.rpcBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/durabletask\/$/);
    expect(new URL(host.rpcBaseUrl!).port).not.toBe(String(host.port));
    expect((await send(`${host.rpcBaseUrl!}instances/`)).status).toBe(200);
    const origin = new URL(host.rpcBaseUrl!).origin;
    expect((await send(`${origin}/runtime/webhooks/durabletask/instances/`)).status).toBe(404);
    expect((await send(`${origin}/api/hello`)).status).toBe(404);
  });
});

describe('the Durable management API with --open-management', () => {
  let host: RunningHost;

  beforeAll(async () => {
    host = await startHost({ appDir: app, port: 0, storage: 'memory', log: quiet, openManagement: true });
  });
  afterAll(async () => {
    await host.stop();
  });

  it('accepts requests without a key and hands out URLs without one', async () => {
    expect(host.openManagement).toBe(true);
    expect((await send(`${host.baseUrl}/runtime/webhooks/durabletask/instances/`)).status).toBe(200);
    const res = await send(`${host.baseUrl}/api/start/catchesActivityFailure`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ activity: 'echo', input: 1 }),
    });
    expect(res.status).toBe(202);
    const check = res.json<CheckStatus>();
    expect(new URL(check.statusQueryGetUri).searchParams.has('code')).toBe(false);
    expect((await send(check.statusQueryGetUri)).status).toBeLessThan(300);
  });
});
