/**
 * Crashes on the real engine: the local host and the .NET engine it owns are SIGKILLed together
 * while an activity runs and while a run waits for a reply, then restarted on the same data folder
 * and port; every run completes with its whole event log (seq 1..n). Skips, saying why, without .NET.
 */
import type { WorkflowEvent } from '../../../src/core/events';
import { request, waitFor } from '../../support/api-client';
import type { CliHost } from '../../support/cli-host';
import { oneTo } from '../../support/event-sequence';
import { enginePidIn } from './engine-host';
import { describeOnRealEngine, useRealEngineHosts } from './real-engine-hosts';

type Started = { runId: string; token: string; statusUri: string; eventsUri: string; respondUri: string };
type Status = {
  state: string;
  pendingRequest: { requestId: string } | null;
  conversation: { text: string }[];
};

// A hard-killed engine's partitions and messages come back only after their leases and visibility
// timeouts expire (about a minute each here).
jest.setTimeout(300_000);

describeOnRealEngine('crashes on the real Durable engine', () => {
  // A killed host leaves its dequeued messages invisible for the queue's visibility timeout (5 min
  // by default) and its partition leases held until they expire; 1 minute (the extension's minimum)
  // here so a restart picks the work up within the test.
  const dtfx = useRealEngineHosts({
    dataDirPrefix: 'dtfx-crash-',
    env: {
      AzureWebJobs__extensions__DurableTask__storageProvider__workItemQueueVisibilityTimeout: '00:01:00',
      AzureWebJobs__extensions__DurableTask__storageProvider__controlQueueVisibilityTimeout: '00:01:00',
    },
  });

  /**
   * SIGKILLs the host and, at the same moment, the .NET engine it owns, as a machine that dies
   * takes both (killing the Node host alone lets the engine stop gracefully and hand its work back).
   */
  async function crash(h: CliHost): Promise<void> {
    process.kill(enginePidIn(h.output()), 'SIGKILL');
    await h.kill('SIGKILL');
  }

  async function status(run: Started): Promise<Status> {
    return (await request<Status>(run.statusUri, { token: run.token })).body;
  }

  async function events(run: Started): Promise<WorkflowEvent[]> {
    const res = await fetch(run.eventsUri, { headers: { authorization: `Bearer ${run.token}` } });
    const body = (await res.json()) as { events: WorkflowEvent[] };
    return body.events;
  }

  it('completes a run whose host was killed while its activity ran, after a restart on the same data', async () => {
    let h = await dtfx.start();
    const model = dtfx.model();
    model.reset();
    model.addSteps(
      { agent: 'coordinator_agent', reply: { hang: true } },
      { agent: 'coordinator_agent', reply: { text: 'Back after the crash. What is your order number?' } },
    );
    const started = await request<Started>(`${h.api}/workflows/customer_support/run`, {
      body: { message: 'My parcel is late' },
    });
    expect(started.status).toBe(202);
    const run = started.body;
    await model.waitForRequests(1, { timeoutMs: 60_000 });
    await crash(h);
    h = await dtfx.start();
    const waiting = await waitFor(
      'the question asked after the restart',
      async () => {
        const s = await status(run);
        return s.state === 'awaiting_input' ? s : undefined;
      },
      { timeoutMs: 240_000 },
    );
    expect(waiting.conversation.at(-1)?.text).toBe('Back after the crash. What is your order number?');
    const log = await events(run);
    expect(log.map((e) => e.seq)).toEqual(oneTo(log.length));
  });

  it('delivers a reply sent after a restart to a run whose host was killed while it waited', async () => {
    let h = dtfx.hosts.at(-1)!;
    const model = dtfx.model();
    model.reset();
    model.addSteps(
      { agent: 'coordinator_agent', reply: { text: 'What is your order number?' } },
      { agent: 'coordinator_agent', reply: { text: 'Order 42 is on its way.' } },
    );
    const run = (
      await request<Started>(`${h.api}/workflows/customer_support/run`, {
        body: { message: 'Where is my order?' },
      })
    ).body;
    const asked = await waitFor(
      'the question',
      async () => {
        const s = await status(run);
        return s.state === 'awaiting_input' ? s : undefined;
      },
      { timeoutMs: 60_000 },
    );
    await crash(h);
    h = await dtfx.start();
    const reply = await request(run.respondUri, {
      token: run.token,
      body: { message: 'Order 42', requestId: asked.pendingRequest!.requestId },
    });
    expect(reply.status).toBe(202);
    const answered = await waitFor(
      'the answer to the reply',
      async () => {
        const s = await status(run);
        return s.conversation.some((m) => m.text === 'Order 42 is on its way.') ? s : undefined;
      },
      { timeoutMs: 240_000 },
    );
    expect(answered.conversation.map((m) => m.text)).toEqual([
      'Where is my order?',
      'What is your order number?',
      'Order 42',
      'Order 42 is on its way.',
    ]);
    const log = await events(run);
    expect(log.map((e) => e.seq)).toEqual(oneTo(log.length));
  });
});
