/**
 * A run's life and what its tokens and data do through it, over real HTTP on the local host: a run
 * id used again after a purge (through the Durable management API, which the app never hears of)
 * starts clean and refuses the earlier run's token; the retention timer purges runs that ended
 * longer ago than the retention, their run store data included, and leaves the others alone; a
 * page of an allowed origin (a chat widget) may preflight and call the API, another origin may not.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TableClient } from '@azure/data-tables';
import { startAzurite, VirtualClock, type AzuriteHandle } from '../../devhost/durable';
import { purgeExpiredRuns, type PurgeClient } from '../../src/durable/retention/purge-runs';
import { TableRunStore } from '../../src/durable/store/table-run-store';
import { request, waitFor } from '../support/api-client';
import { startAppHost, type AppHost } from '../support/app-host';

type Started = { runId: string; token: string; statusUri: string; eventsUri: string; terminateUri: string };
type Status = { state: string; conversation: Array<{ text: string }> };
type ErrorBody = { error: { code: string; message: string } };
type Events = { events: Array<{ type: string; seq: number; text?: string }> };

const DAY_MS = 24 * 60 * 60 * 1000;

describe('a run id used again after a purge', () => {
  let app: AppHost;
  beforeAll(async () => {
    app = await startAppHost();
  });
  afterAll(async () => {
    await app?.stop();
  });

  const key = () => ({ 'x-functions-key': app.host.functionKey });

  async function start(runId: string, message: string): Promise<Started> {
    app.model.addSteps({ agent: 'coordinator_agent', reply: { text: `About "${message}": which order?` } });
    const started = await request<Started>(`${app.api}/workflows/customer_support/run`, {
      body: { message, runId },
      headers: key(),
    });
    expect(started.status).toBe(202);
    await waitFor('the run to ask', async () => {
      const status = await request<Status>(started.body.statusUri, { token: started.body.token });
      return status.body.state === 'awaiting_input' ? true : undefined;
    });
    return started.body;
  }

  it("starts clean, refuses the earlier run's token and shows none of its events or messages", async () => {
    const first = await start('reused-id-1', 'My card number is 4111 1111 1111 1111');
    expect((await request(first.terminateUri, { method: 'POST', token: first.token })).status).toBe(202);
    await waitFor('the first run to end', async () => {
      const status = await request<Status>(first.statusUri, { token: first.token });
      return status.body.state === 'terminated' ? true : undefined;
    });
    // Purged through the Durable management API: the app's run store is not told.
    const purge = await fetch(`${app.host.baseUrl}/runtime/webhooks/durabletask/instances/reused-id-1`, {
      method: 'DELETE',
      headers: { 'x-functions-key': app.host.masterKey },
    });
    expect(purge.status).toBe(200);
    const purged = await request<ErrorBody>(first.statusUri, { token: first.token });
    expect(purged.status).toBe(404);

    const second = await start('reused-id-1', 'Where is my parcel?');
    expect(second.token).not.toBe(first.token);
    const old = await request<ErrorBody>(second.statusUri, { token: first.token });
    expect(old.status).toBe(403);
    expect(old.body.error.code).toBe('token_revoked');
    for (const route of ['events', 'respond', 'terminate']) {
      const answer = await request<ErrorBody>(`${app.api}/workflows/customer_support/${route}/reused-id-1`, {
        token: first.token,
        ...(route === 'events' ? {} : { body: { message: 'hi' } }),
      });
      expect({ route, status: answer.status }).toEqual({ route, status: 403 });
    }

    const status = await request<Status>(second.statusUri, { token: second.token });
    expect(status.body.conversation.map((m) => m.text)).toEqual([
      'Where is my parcel?',
      'About "Where is my parcel?": which order?',
    ]);
    const events = await request<Events>(second.eventsUri, { token: second.token });
    expect(JSON.stringify(events.body)).not.toContain('4111');
    expect(events.body.events.filter((e) => e.type === 'started')).toHaveLength(1);
    expect(events.body.events.map((e) => e.seq)).toEqual(events.body.events.map((_, i) => i + 1));
  });
});

describe('the retention timer', () => {
  let app: AppHost;
  const lines: string[] = [];
  // The engine's clock is 40 days behind: runs it ends "ended" 40 days ago for the sweep's real clock.
  const clock = new VirtualClock(new Date(Date.now() - 40 * DAY_MS));

  let azurite: AzuriteHandle;
  let location: string;

  beforeAll(async () => {
    location = fs.mkdtempSync(path.join(os.tmpdir(), 'retention-'));
    azurite = await startAzurite({ location, inMemory: true });
    app = await startAppHost({
      clock,
      env: { DURABLE_HANDOFF_RETENTION_DAYS: '30', AzureWebJobsStorage: azurite.connectionString },
      log: (entry) => lines.push(entry.message),
    });
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await azurite?.stop();
    fs.rmSync(location, { recursive: true, force: true });
  });

  const key = () => ({ 'x-functions-key': app.host.functionKey });

  async function start(message: string): Promise<Started> {
    app.model.addSteps({ agent: 'coordinator_agent', reply: { text: 'Which order?' } });
    const started = await request<Started>(`${app.api}/workflows/customer_support/run`, {
      body: { message },
    });
    expect(started.status).toBe(202);
    await waitFor('the run to ask', async () => {
      const status = await request<Status>(started.body.statusUri, { headers: key() });
      return status.body.state === 'awaiting_input' ? true : undefined;
    });
    return started.body;
  }

  it('purges runs that ended before the retention, their run store data included, and nothing else', async () => {
    const ended = await start('An old conversation');
    const waiting = await start('A conversation still waiting');
    expect((await request(ended.terminateUri, { method: 'POST', headers: key() })).status).toBe(202);
    await waitFor('the old run to end', async () => {
      const status = await request<Status>(ended.statusUri, { headers: key() });
      return status.body.state === 'terminated' ? true : undefined;
    });
    const store = new TableRunStore({
      kind: 'connection-string',
      connectionString: azurite.connectionString,
      tablePrefix: 'TestHub',
    });
    const instance = await request<{ input: { nonce: string } }>(
      `${app.host.baseUrl}/runtime/webhooks/durabletask/instances/${ended.runId}?showInput=true&code=${encodeURIComponent(app.host.masterKey)}`,
    );
    const nonce = instance.body.input.nonce;
    expect((await store.readEvents(`${ended.runId}.${nonce}`, 0)).length).toBeGreaterThan(0);

    const wrongKey = await fetch(`${app.host.baseUrl}/admin/functions/handoffRetention`, {
      method: 'POST',
      headers: { 'x-functions-key': app.host.functionKey, 'content-type': 'application/json' },
      body: '{"input":""}',
    });
    expect(wrongKey.status).toBe(401); // the admin API takes the master key only
    const run = await fetch(`${app.host.baseUrl}/admin/functions/handoffRetention`, {
      method: 'POST',
      headers: { 'x-functions-key': app.host.masterKey, 'content-type': 'application/json' },
      body: '{"input":""}',
    });
    expect(run.status).toBe(202);

    await waitFor('the old run to be purged', async () => {
      const status = await request<ErrorBody>(ended.statusUri, { headers: key() });
      return status.status === 404 ? true : undefined;
    });
    expect(await store.readEvents(`${ended.runId}.${nonce}`, 0)).toEqual([]);
    await expect(store.readMessages(`${ended.runId}.${nonce}`, 1)).rejects.toThrow(/missing message 0/);
    // The run still waiting for a reply is kept, whatever its age.
    const kept = await request<Status>(waiting.statusUri, { headers: key() });
    expect(kept.status).toBe(200);
    expect(kept.body.conversation.map((m) => m.text)).toContain('A conversation still waiting');
    await waitFor('the sweep to log what it did', () =>
      Promise.resolve(lines.some((line) => line.includes('Retention: purged 1 runs')) ? true : undefined),
    );
  });

  it('deletes the run store data of a run purged through the management API once it is past the retention', async () => {
    const orphan = await start('A conversation purged behind the app back');
    const waiting = await start('Another conversation still waiting');
    expect((await request(orphan.terminateUri, { method: 'POST', headers: key() })).status).toBe(202);
    await waitFor('the run to end', async () => {
      const status = await request<Status>(orphan.statusUri, { headers: key() });
      return status.body.state === 'terminated' ? true : undefined;
    });
    const nonceOf = async (runId: string) =>
      (
        await request<{ input: { nonce: string } }>(
          `${app.host.baseUrl}/runtime/webhooks/durabletask/instances/${runId}?showInput=true&code=${encodeURIComponent(app.host.masterKey)}`,
        )
      ).body.input.nonce;
    const orphanKey = `${orphan.runId}.${await nonceOf(orphan.runId)}`;
    const waitingKey = `${waiting.runId}.${await nonceOf(waiting.runId)}`;
    const purge = await fetch(`${app.host.baseUrl}/runtime/webhooks/durabletask/instances/${orphan.runId}`, {
      method: 'DELETE',
      headers: { 'x-functions-key': app.host.masterKey },
    });
    expect(purge.status).toBe(200);
    const store = new TableRunStore({
      kind: 'connection-string',
      connectionString: azurite.connectionString,
      tablePrefix: 'TestHub',
    });
    expect((await store.readEvents(orphanKey, 0)).length).toBeGreaterThan(0);

    // Its rows were written just now (storage keeps the real time): sweep as if a month had passed.
    const durable = app.host.durable!.client;
    const client: PurgeClient = {
      listFinished: async (before) =>
        (await durable.list({ runtimeStatus: ['Completed', 'Failed', 'Terminated'] }))
          .filter((s) => Date.parse(s.createdTime) < before.getTime())
          .map((s) => ({ ...s, lastUpdatedTime: s.lastUpdatedTime })),
      purge: async (instanceId) => {
        await durable.purge(instanceId);
      },
      status: async (instanceId) => {
        const found = await durable.getStatus(instanceId, { showInput: true });
        return found && { customStatus: found.customStatus, input: found.input };
      },
    };
    const result = await purgeExpiredRuns({
      client,
      store,
      retentionMs: 30 * DAY_MS,
      now: new Date(Date.now() + 31 * DAY_MS),
    });
    expect(result.failures).toEqual([]);
    expect(result.orphans).toBeGreaterThanOrEqual(1);
    expect(await store.readEvents(orphanKey, 0)).toEqual([]);
    // The waiting run's data is its instance's: kept.
    expect((await store.readEvents(waitingKey, 0)).length).toBeGreaterThan(0);
  });

  it('removes the claim of a chosen run id with the run it purges, so the id starts a new run', async () => {
    const runId = 'retained-id-1';
    const startChosen = async (message: string) => {
      app.model.addSteps({ agent: 'coordinator_agent', reply: { text: 'Which order?' } });
      return request<Started>(`${app.api}/workflows/customer_support/run`, {
        body: { message, runId },
        headers: key(),
      });
    };
    const first = await startChosen('A conversation under a chosen id');
    expect(first.status).toBe(202);
    await waitFor('the run to ask', async () => {
      const status = await request<Status>(first.body.statusUri, { headers: key() });
      return status.body.state === 'awaiting_input' ? true : undefined;
    });
    expect((await request(first.body.terminateUri, { method: 'POST', headers: key() })).status).toBe(202);
    await waitFor('the run to end', async () => {
      const status = await request<Status>(first.body.statusUri, { headers: key() });
      return status.body.state === 'terminated' ? true : undefined;
    });
    const claims = TableClient.fromConnectionString(azurite.connectionString, 'TestHubRunClaims', {
      allowInsecureConnection: true,
    });
    expect(await claims.getEntity(runId, 'claim')).toMatchObject({ state: 'started' });

    const sweep = await fetch(`${app.host.baseUrl}/admin/functions/handoffRetention`, {
      method: 'POST',
      headers: { 'x-functions-key': app.host.masterKey, 'content-type': 'application/json' },
      body: '{"input":""}',
    });
    expect(sweep.status).toBe(202);
    await waitFor('the run to be purged', async () => {
      const status = await request<ErrorBody>(first.body.statusUri, { headers: key() });
      return status.status === 404 ? true : undefined;
    });
    await waitFor('its claim to be removed', async () => {
      const gone = await claims.getEntity(runId, 'claim').then(
        () => false,
        (error: { statusCode?: number }) => {
          if (error.statusCode === 404) return true;
          throw error;
        },
      );
      return gone || undefined;
    });

    const again = await startChosen('A new conversation under the same id');
    expect(again.status).toBe(202);
    expect(again.body.token).not.toBe(first.body.token);
  });
});

describe('a chat widget on another site', () => {
  const WIDGET = 'https://shop.example.com';
  let app: AppHost;
  beforeAll(async () => {
    app = await startAppHost({ env: { DURABLE_HANDOFF_CORS_ORIGINS: WIDGET } });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('may preflight, start and follow a run from its allowed origin; another origin may not', async () => {
    const preflight = await fetch(`${app.api}/workflows/customer_support/run`, {
      method: 'OPTIONS',
      headers: {
        origin: WIDGET,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(WIDGET);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');

    app.model.addSteps({ agent: 'coordinator_agent', reply: { text: 'Which order?' } });
    const started = await request<Started>(`${app.api}/workflows/customer_support/run`, {
      body: { message: 'Hello from the shop' },
      headers: { origin: WIDGET },
    });
    expect(started.status).toBe(202);
    expect(started.headers.get('access-control-allow-origin')).toBe(WIDGET);
    const status = await request<Status>(started.body.statusUri, {
      token: started.body.token,
      headers: { origin: WIDGET },
    });
    expect(status.status).toBe(200);
    expect(status.headers.get('access-control-allow-origin')).toBe(WIDGET);

    const foreign = await request<ErrorBody>(started.body.statusUri, {
      token: started.body.token,
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('origin_not_allowed');
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });
});
