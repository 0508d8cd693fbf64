/**
 * A library user's app on the local host (tests/fixtures/apps/custom-handoff-app): its own
 * ChatModel, token secret and workflow, under the route prefix its host.json sets (`support/v1`).
 */
import path from 'node:path';
import { startHost, type RunningHost } from '../../devhost/host';
import { HandoffClient, type RunHandle } from '../../src/client';
import type { WorkflowEvent } from '../../src/core/events';
import { RunTokens } from '../../src/http/run-token';

const APP = path.resolve(__dirname, '../fixtures/apps/custom-handoff-app');

describe('an app registered with its own model, token secret and route prefix', () => {
  let host: RunningHost;

  beforeAll(async () => {
    host = await startHost({
      appDir: APP,
      port: 0,
      storage: 'memory',
      env: { AZURE_FUNCTIONS_ENVIRONMENT: 'Development' },
      log: () => undefined,
    });
  }, 60_000);
  afterAll(async () => {
    await host?.stop();
  });

  it('runs a workflow end to end on the ChatModel the app passed, under the host.json route prefix', async () => {
    const client = new HandoffClient({ baseUrl: host.baseUrl, routePrefix: 'support/v1' });
    const stream = client.runStream('desk', 'I want a refund for order 7');
    const events: WorkflowEvent[] = [];
    for await (const event of stream) events.push(event);
    const run: RunHandle = await stream.run;

    const output = events.at(-1);
    expect(output?.type).toBe('output');
    expect(output?.type === 'output' && output.conversation).toEqual([
      { role: 'user', authorName: 'user', text: 'I want a refund for order 7' },
      { role: 'assistant', authorName: 'refund_agent', text: 'Refund approved by the desk model (call 2).' },
    ]);
    expect(output?.type === 'output' && output.stopReason).toBe('terminated_by_condition');
    const prefix = `${host.baseUrl}/support/v1/workflows/desk`;
    expect(run).toMatchObject({
      statusUri: `${prefix}/status/${run.runId}`,
      eventsUri: `${prefix}/events/${run.runId}`,
      respondUri: `${prefix}/respond/${run.runId}`,
      terminateUri: `${prefix}/terminate/${run.runId}`,
    });
    // Signed with the secret the app passed, not an app setting.
    expect(new RunTokens('custom-app-token-secret-0123456789').check(run.runId, run.token).kind).toBe(
      'valid',
    );
    const status = await fetch(run.statusUri, { headers: { authorization: `Bearer ${run.token}` } });
    expect(status.status).toBe(200);
  });

  it("accepts the host's function key on a run route: the key check goes through the app's prefix", async () => {
    const client = new HandoffClient({ baseUrl: host.baseUrl, routePrefix: 'support/v1' });
    const run = await client.startRun('desk', { message: 'I want a refund' });
    const withKey = await fetch(run.statusUri, { headers: { 'x-functions-key': host.functionKey } });
    expect(withKey.status).toBe(200);
    const wrongKey = await fetch(run.statusUri, { headers: { 'x-functions-key': 'not-the-key' } });
    expect(wrongKey.status).toBe(401);
  });
});
