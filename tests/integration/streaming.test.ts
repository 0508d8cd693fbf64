/**
 * Answers stream through the run's event stream, over real HTTP: the local host runs the app, the
 * scripted model server streams answers in delayed chunks, and an SSE client reads the wire.
 * Here the stream is served by the process that runs the agent turn (the in-process channel); the
 * scale-out test has a reader on another host.
 */
import { runStoreKey } from '../../src/durable/wire/run-instance';
import { appEnvironment } from '../../devhost/config/app-environment';
import { HandoffClient } from '../../src/client/handoff-client';
import { loadStorageSettings } from '../../src/durable/store/storage-settings';
import { TableRunStore } from '../../src/durable/store/table-run-store';
import type { ScriptStep } from '../../src/testing';
import { request } from '../support/api-client';
import { startAppHost, type AppHost } from '../support/app-host';
import { collectSse, deltasOf, type SseMessage } from '../support/sse-messages';

/** Mentions a delivery, so the sample workflow's condition ends the run after it. */
const ANSWER =
  "I've located your package for order #12345: it left our depot this morning and will be delivered within 2 business days.";
const handoffToShipping: ScriptStep = {
  agent: 'coordinator_agent',
  reply: { toolCalls: [{ name: 'handoff_to_shipping_agent', arguments: {} }] },
};

type Started = { runId: string; token: string; eventsUri: string };

describe('answers streaming through the event stream', () => {
  let app: AppHost;

  beforeAll(async () => {
    app = await startAppHost();
  });
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(() => {
    app.model.reset();
  });

  async function startRun(): Promise<Started> {
    const response = await request<Started>(`${app.api}/workflows/customer_support/run`, {
      body: { message: 'Where is my order #12345?', mode: 'autonomous' },
    });
    expect(response.status).toBe(202);
    return response.body;
  }

  function agentResponses(messages: readonly SseMessage[]): string[] {
    return messages.filter((m) => m.data.type === 'agent_response').map((m) => m.data.text as string);
  }

  it('sends several deltas without an id before agent_response, and they add up to its text', async () => {
    app.model.addSteps(handoffToShipping, {
      agent: 'shipping_agent',
      reply: { text: ANSWER, stream: { chunkDelayMs: 40 } },
    });
    const run = await startRun();

    const messages = await collectSse(run.eventsUri, run.token);

    const answerAt = messages.findIndex((m) => m.data.type === 'agent_response');
    const deltas = deltasOf(messages.slice(0, answerAt));
    expect(deltas.length).toBeGreaterThanOrEqual(3);
    expect(deltasOf(messages)).toEqual(deltas); // none after the answer
    expect(deltas.map((d) => d.delta).join('')).toBe(ANSWER);
    expect(agentResponses(messages)).toEqual([ANSWER]);
    expect(new Set(deltas.map((d) => `${d.agent}/${d.turn}/${d.attempt}`))).toEqual(
      new Set(['shipping_agent/2/1']),
    );
    // Durable events keep their ids, in seq order; previews have none.
    for (const message of messages) {
      expect(message.id === undefined).toBe(message.data.type === 'agent_response_delta');
    }
    const ids = messages.flatMap((m) => (m.id === undefined ? [] : [Number(m.id)]));
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1));
    // The JSON form of the endpoint is the durable log alone.
    const page = await request<{ events: Array<{ type: string }> }>(run.eventsUri, { token: run.token });
    expect(page.body.events.map((e) => e.type)).toEqual(
      messages.filter((m) => m.id !== undefined).map((m) => m.data.type),
    );
    app.model.assertComplete();
  });

  it('restarts the preview with the next attempt when the stream breaks off mid-answer', async () => {
    const partial = ANSWER.split(' ').slice(0, 5).join(' ');
    app.model.addSteps(
      handoffToShipping,
      { agent: 'shipping_agent', reply: { text: ANSWER, stream: { chunkDelayMs: 20, resetAfterChunks: 5 } } },
      { agent: 'shipping_agent', reply: { text: ANSWER, stream: { chunkDelayMs: 20 } } },
    );
    const run = await startRun();

    const messages = await collectSse(run.eventsUri, run.token);

    const deltas = deltasOf(messages);
    const first = deltas.filter((d) => d.attempt === 1);
    const second = deltas.filter((d) => d.attempt === 2);
    expect(first.map((d) => d.delta).join('')).toBe(partial);
    expect(second.length).toBeGreaterThanOrEqual(3);
    expect(second.map((d) => d.delta).join('')).toBe(ANSWER);
    // Attempt 2 starts after attempt 1's last piece: a reader drops the first preview and starts again.
    expect(deltas.findIndex((d) => d.attempt === 2)).toBe(first.length);
    expect(agentResponses(messages)).toEqual([ANSWER]);
    app.model.assertComplete();
  });

  it('lets HandoffClient.runStream yield the deltas typed, between the events', async () => {
    app.model.addSteps(handoffToShipping, {
      agent: 'shipping_agent',
      reply: { text: ANSWER, stream: { chunkDelayMs: 30 } },
    });
    const client = new HandoffClient({ baseUrl: app.host.baseUrl });
    const seen: string[] = [];
    let preview = '';
    for await (const item of client.runStream('customer_support', 'Where is my order #12345?', {
      mode: 'autonomous',
      deltas: true,
    })) {
      if (item.type === 'agent_response_delta') {
        preview += item.delta;
        seen.push(`delta:${item.agent}`);
      } else {
        seen.push(item.type);
        if (item.type === 'agent_response') expect(item.text).toBe(preview);
      }
    }
    const answerAt = seen.indexOf('agent_response');
    expect(
      seen.slice(0, answerAt).filter((label) => label === 'delta:shipping_agent').length,
    ).toBeGreaterThanOrEqual(3);
    expect(seen.at(-1)).toBe('output');
    expect(preview).toBe(ANSWER);
  });

  it('leaves no preview row behind once the turn has committed', async () => {
    app.model.addSteps(handoffToShipping, {
      agent: 'shipping_agent',
      reply: { text: ANSWER, stream: { chunkDelayMs: 5 } },
    });
    const run = await startRun();
    await collectSse(run.eventsUri, run.token);

    const store = new TableRunStore(loadStorageSettings(appEnvironment()));
    // The run's data is stored under its instance (run id and the nonce its token carries).
    const key = runStoreKey({ runId: run.runId, nonce: run.token.split('.')[1] });
    expect(await store.readPreview(key)).toBeUndefined();
    // The stream's read of the log and the preview is the one query; with no preview, events only.
    const feed = await store.readEventFeed(key, 0);
    expect(feed.preview).toBeUndefined();
    expect(feed.events.at(-1)?.type).toBe('output');
  });
});
