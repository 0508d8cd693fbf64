/**
 * A reader served by another instance of the app receives the answer as it is written: two local
 * hosts, each its own process, on one Azurite (the app's storage account) with the emulated durable
 * engine. Host A runs the runs; host B only serves the event stream, so its previews can only come
 * from the run store. B's app points at a model server with no script: were a turn to run there, it
 * would show up as a request to it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePorts } from '../../devhost/azurite/ports';
import { startAzurite, type AzuriteHandle } from '../../devhost/durable';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing';
import { request } from '../support/api-client';
import { appSettings } from '../support/app-host';
import { startCliHost, type CliHost } from '../support/cli-host';
import { collectSse, deltasOf } from '../support/sse-messages';

/** About 40 pieces, 100 ms apart: several of B's polls (every 100 ms) fall within the answer, even under load. */
const ANSWER =
  "I've located your package for order #12345: it left our depot this morning and will be delivered within 2 business days. " +
  'The carrier has its new address, the tracking page shows every stop, and you will get an e-mail when it is out for delivery.';

describe('answers streaming to a reader on another instance', () => {
  let dataDir: string;
  let azurite: AzuriteHandle | undefined;
  let model: ScriptedModelServer | undefined;
  let idleModel: ScriptedModelServer | undefined;
  let hostA: CliHost | undefined;
  let hostB: CliHost | undefined;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'streaming-scale-out-'));
    azurite = await startAzurite({ location: dataDir });
    model = await startScriptedModelServer();
    idleModel = await startScriptedModelServer();
    const [portA, portB] = await freePorts(2);
    // Both hosts start before any run exists: the emulated engine does not coordinate hosts, and a
    // host starting later would take over the other's unfinished work.
    [hostA, hostB] = await Promise.all([
      startCliHost({ port: portA!, dataDir, storage: 'azurite', env: appSettings(model) }),
      startCliHost({ port: portB!, dataDir, storage: 'azurite', env: appSettings(idleModel) }),
    ]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([hostA?.kill('SIGTERM'), hostB?.kill('SIGTERM')]);
    await model?.close();
    await idleModel?.close();
    await azurite?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('sends several deltas from the run store before agent_response, the start of its text', async () => {
    model!.addSteps(
      {
        agent: 'coordinator_agent',
        reply: { toolCalls: [{ name: 'handoff_to_shipping_agent', arguments: {} }] },
      },
      { agent: 'shipping_agent', reply: { text: ANSWER, stream: { chunkDelayMs: 100 } } },
    );
    const started = await request<{ runId: string; token: string }>(
      `${hostA!.api}/workflows/customer_support/run`,
      {
        body: { message: 'Where is my order #12345?', mode: 'autonomous' },
        headers: { 'x-functions-key': hostA!.functionKey },
      },
    );
    expect(started.status).toBe(202);
    const { runId, token } = started.body;
    const eventsPath = `/workflows/customer_support/events/${runId}`;

    const [onB, onA] = await Promise.all([
      collectSse(`${hostB!.api}${eventsPath}`, token),
      collectSse(`${hostA!.api}${eventsPath}`, token),
    ]);

    for (const messages of [onB, onA]) {
      const answerAt = messages.findIndex((m) => m.data.type === 'agent_response');
      const deltas = deltasOf(messages.slice(0, answerAt));
      expect(deltas.length).toBeGreaterThanOrEqual(3);
      expect(deltasOf(messages)).toEqual(deltas);
      expect(messages[answerAt]!.data.text).toBe(ANSWER);
      expect(ANSWER.startsWith(deltas.map((d) => d.delta).join(''))).toBe(true);
    }
    // In process every piece arrives; through the run store (written at most five times a second)
    // a reader elsewhere may miss the last words, which the agent_response that follows has.
    expect(
      deltasOf(onA)
        .map((d) => d.delta)
        .join(''),
    ).toBe(ANSWER);
    expect(
      deltasOf(onB)
        .map((d) => d.delta)
        .join('').length,
    ).toBeGreaterThan(ANSWER.length / 2);
    // The same durable log on both instances.
    const log = (messages: typeof onA) => messages.filter((m) => m.id !== undefined).map((m) => m.id);
    expect(log(onB)).toEqual(log(onA));
    // B served the stream and ran no turn; A's stream got the text at once, in more, smaller pieces.
    expect(idleModel!.requests).toHaveLength(0);
    expect(deltasOf(onA).length).toBeGreaterThanOrEqual(deltasOf(onB).length);
    model!.assertComplete();
  });
});
