/**
 * Regressions: product bugs the reliability suite found, each kept as a test of the behaviour that
 * now holds (they were fixed in the run store, the local host and the retry policy).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VirtualClock } from '../../devhost/durable';
import { request } from '../support/api-client';
import { startAppHost, type AppHost } from '../support/app-host';
import { sendRaw } from '../support/raw-http';
import { startRun, waitForEnd, waitForRequest } from './support/run-api';
import { endWithNearTimers } from './support/virtual-time';

describe('regressions found on the local host (Azurite storage, as npm start runs the app)', () => {
  let app: AppHost;
  let dataDir = '';

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reliability-regressions-'));
    app = await startAppHost({
      storage: 'azurite',
      dataDir,
      model: { responder: () => ({ text: 'How can I help you today?' }) },
    });
  });
  afterAll(async () => {
    await app?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  // devhost/http/stream-proxy.ts: the app answers 413 from Content-Length without reading the body,
  // the library's stream proxy then closes the connection, the host's upload fails with EPIPE, and
  // the host answers 500 instead of passing the 413 on.
  it('answers 413 (not 500) to a 20 MB body the app rejects before reading it', async () => {
    const body = JSON.stringify({ message: 'x'.repeat(20 * 1024 * 1024) });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const response = await sendRaw(app.host.port, {
        method: 'POST',
        target: '/api/workflows/customer_support/run',
        headers: [['Content-Type', 'application/json']],
        body,
      });
      expect(response.status).toBe(413);
    }
  });

  // Azurite 3.35 fails entity-group transactions with more than one entity whose strings hold
  // U+2028/U+2029; devhost/durable/store/table-entities.ts writes history and instance JSON raw.
  it('starts and runs a customer message that contains U+2028 and U+2029', async () => {
    const run = await startRun(app.api, { message: 'first line\u2028second line\u2029next paragraph' });
    expect((await waitForRequest(app.api, run, 20_000)).agent).toBe('coordinator_agent');
  });

  // devhost/durable/management: an instance id Table storage cannot hold ('/') makes the read
  // throw, and the management API answers 500 where the extension answers 404.
  it('answers 404 for an instance id with a slash on the management API', async () => {
    const response = await request(
      `${app.host.baseUrl}/runtime/webhooks/durabletask/instances/a%2Fb?code=${encodeURIComponent(app.host.masterKey)}`,
    );
    expect(response.status).toBe(404);
  });
});

describe('regressions of the retry policy (virtual clock)', () => {
  // Starts at the real time: run tokens are checked against the real clock, and a finished run's
  // tokens are revoked a day after its (virtual) end.
  const clock = new VirtualClock(new Date());
  let app: AppHost;
  const started = clock.now().getTime();

  beforeAll(async () => {
    app = await startAppHost({
      clock,
      model: {
        steps: [
          {
            agent: 'coordinator_agent',
            repeat: true,
            // Rate limited for a minute of (virtual) time, as a quota window would be.
            reply: () =>
              clock.now().getTime() - started < 60_000
                ? { status: 429, headers: { 'retry-after': '60' } }
                : { toolCalls: [{ name: 'handoff_to_shipping_agent', arguments: {} }] },
          },
          {
            agent: 'shipping_agent',
            repeat: true,
            reply: { text: 'Your parcel will be delivered within 2 business days.' },
          },
        ],
      },
    });
  });
  afterAll(async () => {
    await app?.stop();
  });

  // src/durable/orchestrator: callActivityWithRetry retries after 2, 4, 8 and 16 s whatever the
  // model's retry-after says (ModelCallError.retryAfterMs is captured, never used), and the error
  // message claims "It will be retried after the wait the server asked for". A 429 asking for 60 s
  // therefore ends the run with rate_limited after 30 s.
  it('waits the retry-after a 429 asks for and completes once the rate limit lifts', async () => {
    const run = await startRun(app.api, { message: 'Where is my parcel?', mode: 'autonomous' });
    const status = await endWithNearTimers(app, clock, run, 120_000);
    expect(status).toMatchObject({ state: 'completed', stopReason: 'terminated_by_condition' });
    await waitForEnd(app.api, run);
  });
});
