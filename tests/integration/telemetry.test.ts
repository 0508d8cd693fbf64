/**
 * Telemetry over the wire: real runs on the local host export their spans and metrics over OTLP/HTTP
 * to a test receiver, which decodes what arrives (protobuf and JSON). One run is one trace: the
 * article's run, and a human-in-the-loop run with a tool that spans continue-as-new generations
 * and a host restart on the same data.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHost, type RunningHost } from '../../devhost/host';
import type { RunStatusResponse } from '../../src/client';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing';
import { request, waitFor as waitForAsync } from '../support/api-client';
import { appSettings, startAppHost, type AppHost } from '../support/app-host';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver';

/** Waits for a synchronous condition on what the receiver holds (see the API client's waitFor). */
const waitFor = <T>(what: string, probe: () => T | undefined): Promise<T> =>
  waitForAsync(what, () => Promise.resolve(probe()));

const TELEMETRY_APP = path.resolve(__dirname, '../fixtures/apps/telemetry-app');

/** Export settings: small batch delay and metric interval, so what a run wrote arrives soon. */
function otelSettings(receiver: OtlpReceiver, protocol: 'http/protobuf' | 'http/json') {
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    OTEL_BSP_SCHEDULE_DELAY: '50',
    OTEL_METRIC_EXPORT_INTERVAL: '200',
    OTEL_SERVICE_NAME: 'telemetry-test',
  };
}

function spansOfRun(receiver: OtlpReceiver, runId: string): ReceivedSpan[] {
  return receiver.spans.filter((span) => span.attributes['gen_ai.conversation.id'] === runId);
}

function only(spans: ReceivedSpan[], name: string): ReceivedSpan {
  const found = spans.filter((span) => span.name === name);
  if (found.length !== 1) {
    throw new Error(
      `expected one '${name}' span, found ${found.length}: ${spans.map((s) => s.name).join(', ')}`,
    );
  }
  return found[0]!;
}

const childrenOf = (spans: ReceivedSpan[], parent: ReceivedSpan) =>
  spans.filter((span) => span.parentSpanId === parent.spanId);

describe('telemetry of the article run (OTLP http/protobuf)', () => {
  let receiver: OtlpReceiver;
  let app: AppHost;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    app = await startAppHost({
      env: otelSettings(receiver, 'http/protobuf'),
      model: {
        steps: [
          {
            agent: 'coordinator_agent',
            reply: { toolCalls: [{ name: 'handoff_to_shipping_agent', arguments: {} }] },
          },
          {
            agent: 'shipping_agent',
            reply: { text: 'Your package for order #12345 arrives in 2 days. The issue is resolved.' },
          },
        ],
      },
    });
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await receiver?.close();
  });

  it('exports one trace: the run root, a turn per agent with its model call, the handoff, the finish', async () => {
    const started = await request<{ runId: string; token: string }>(
      `${app.api}/workflows/customer_support/run`,
      { body: { message: 'I never received my order #12345', mode: 'autonomous' } },
    );
    expect(started.status).toBe(202);
    const { runId } = started.body;
    const spans = await waitFor('the run to finish and its spans to arrive', () => {
      const received = spansOfRun(receiver, runId);
      return received.some((span) => span.name === 'finish_run') && received.length >= 6
        ? received
        : undefined;
    });
    expect(receiver.contentTypes).toContain('application/x-protobuf');

    const root = only(spans, 'invoke_workflow customer_support');
    expect(root.parentSpanId).toBe('');
    expect(root.resource['service.name']).toBe('telemetry-test');
    expect(new Set(spans.map((span) => span.traceId))).toEqual(new Set([root.traceId]));

    const coordinator = only(spans, 'invoke_agent coordinator_agent');
    const shipping = only(spans, 'invoke_agent shipping_agent');
    for (const turn of [coordinator, shipping]) expect(turn.parentSpanId).toBe(root.spanId);
    expect(coordinator.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'coordinator_agent',
      'durable_handoff.turn': 1,
      'durable_handoff.turn.outcome': 'handoff',
    });
    expect(coordinator.events).toContainEqual({
      name: 'durable_handoff.handoff',
      attributes: {
        'durable_handoff.handoff.source': 'coordinator_agent',
        'durable_handoff.handoff.target': 'shipping_agent',
      },
    });
    expect(shipping.attributes).toMatchObject({
      'durable_handoff.turn': 2,
      'durable_handoff.turn.outcome': 'respond',
    });

    const [coordinatorChat] = childrenOf(spans, coordinator);
    expect(childrenOf(spans, coordinator)).toHaveLength(1);
    expect(coordinatorChat).toMatchObject({ name: 'chat scripted-model', kind: 3 /* CLIENT */ });
    expect(coordinatorChat!.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'scripted-model',
      'gen_ai.response.finish_reasons': ['tool_calls'],
    });
    expect(coordinatorChat!.attributes['gen_ai.response.id']).toEqual(expect.any(String));
    expect(coordinatorChat!.attributes['gen_ai.usage.input_tokens']).toEqual(expect.any(Number));
    expect(coordinatorChat!.attributes['gen_ai.usage.output_tokens']).toEqual(expect.any(Number));
    // Content is recorded only when the app opts in.
    expect(coordinatorChat!.attributes['gen_ai.input.messages']).toBeUndefined();
    const shippingChats = childrenOf(spans, shipping);
    expect(shippingChats.map((span) => span.attributes['gen_ai.response.finish_reasons'])).toEqual([
      ['stop'],
    ]);

    const finish = only(spans, 'finish_run');
    expect(finish.parentSpanId).toBe(root.spanId);
    expect(finish.attributes['durable_handoff.stop_reason']).toBe('terminated_by_condition');

    const points = await waitFor('the run metrics to arrive', () => {
      const names = new Set(receiver.points.map((point) => point.metric));
      return ['durable_handoff.runs.finished', 'durable_handoff.handoffs', 'gen_ai.client.token.usage'].every(
        (name) => names.has(name),
      )
        ? receiver.points
        : undefined;
    });
    expect(points).toContainEqual(
      expect.objectContaining({
        metric: 'durable_handoff.handoffs',
        attributes: {
          'durable_handoff.workflow': 'customer_support',
          'durable_handoff.handoff.source': 'coordinator_agent',
          'durable_handoff.handoff.target': 'shipping_agent',
        },
      }),
    );
    expect(points).toContainEqual(
      expect.objectContaining({
        metric: 'durable_handoff.runs.finished',
        attributes: {
          'durable_handoff.workflow': 'customer_support',
          'durable_handoff.stop_reason': 'terminated_by_condition',
        },
      }),
    );
    expect(points).toContainEqual(
      expect.objectContaining({ metric: 'durable_handoff.runs.started', value: expect.any(Number) }),
    );
    const tokenTypes = points
      .filter((point) => point.metric === 'gen_ai.client.token.usage')
      .map((point) => point.attributes['gen_ai.token.type']);
    expect(new Set(tokenTypes)).toEqual(new Set(['input', 'output']));
    expect(points).toContainEqual(
      expect.objectContaining({
        metric: 'gen_ai.client.operation.duration',
        unit: 's',
        count: expect.any(Number),
      }),
    );
  });

  it('shows a retried turn as a second attempt, whose replayed response and tool result get no second span', async () => {
    app.model.reset();
    app.model.addSteps(
      {
        agent: 'coordinator_agent',
        reply: { toolCalls: [{ name: 'handoff_to_shipping_agent', arguments: {} }] },
      },
      {
        agent: 'shipping_agent',
        reply: { toolCalls: [{ name: 'lookup_order', arguments: { orderId: '12345' } }] },
      },
      // The turn's second model call fails (retryable): Durable runs the turn again.
      { agent: 'shipping_agent', reply: { status: 500 } },
      { agent: 'shipping_agent', reply: { text: 'Order 12345 is on its way. The issue is resolved.' } },
    );
    const started = await request<{ runId: string }>(`${app.api}/workflows/customer_support/run`, {
      body: { message: 'Where is order 12345?', mode: 'autonomous' },
    });
    const { runId } = started.body;
    const spans = await waitFor('the run to finish and its spans to arrive', () => {
      const received = spansOfRun(receiver, runId);
      return received.some((span) => span.name === 'finish_run') ? received : undefined;
    });
    const attempts = spans.filter((span) => span.name === 'invoke_agent shipping_agent');
    expect(attempts).toHaveLength(2);
    const [failed, retried] = [...attempts].sort((a, b) => (a.startNs < b.startNs ? -1 : 1));
    expect(failed!.statusCode).toBe(2 /* ERROR */);
    expect(failed!.attributes).toMatchObject({
      'durable_handoff.turn': 2,
      'durable_handoff.turn.outcome': 'failed',
      'durable_handoff.retryable': true,
    });
    expect(retried!.attributes).toMatchObject({
      'durable_handoff.turn': 2,
      'durable_handoff.turn.outcome': 'respond',
    });
    expect(retried!.events.map((event) => event.name)).toEqual([
      'durable_handoff.response_replayed',
      'durable_handoff.tool_result_replayed',
    ]);
    // One chat span per request the model server received, one execute_tool span per execution.
    const shippingRequests = app.model.requests.filter((r) => r.agent === 'shipping_agent').length;
    expect(shippingRequests).toBe(3);
    const chats = [...childrenOf(spans, failed!), ...childrenOf(spans, retried!)].filter((span) =>
      span.name.startsWith('chat '),
    );
    expect(chats).toHaveLength(shippingRequests);
    expect(chats.filter((span) => span.statusCode === 2)).toHaveLength(1);
    expect(spans.filter((span) => span.name === 'execute_tool lookup_order')).toHaveLength(1);
    expect(only(spans, 'execute_tool lookup_order').parentSpanId).toBe(failed!.spanId);
    app.model.assertComplete();
  });

  it("makes each request on a run's routes a server span in the caller's trace, linked to the run's trace", async () => {
    app.model.reset();
    app.model.addSteps(
      { agent: 'coordinator_agent', reply: { text: 'Which order do you mean?' } },
      { agent: 'coordinator_agent', reply: { text: 'Order 12345 is on its way: your issue is resolved.' } },
    );
    const caller = { traceId: 'c0ffee'.padEnd(32, '0'), spanId: 'beef'.padEnd(16, '0') };
    const api = `${app.api}/workflows/customer_support`;
    const started = await request<{ runId: string; token: string }>(`${api}/run`, {
      body: { message: 'Where is my order?', mode: 'human_in_loop' },
      headers: { traceparent: `00-${caller.traceId}-${caller.spanId}-01` },
    });
    expect(started.status).toBe(202);
    const { runId, token } = started.body;
    const pending = await waitForAsync('the run to ask the human', async () => {
      const status = await request<{ state: string; pendingRequest: { requestId: string } | null }>(
        `${api}/status/${runId}`,
        { token },
      );
      return status.body.state === 'awaiting_input' ? status.body.pendingRequest : undefined;
    });
    expect((await request(`${api}/events/${runId}`, { token })).status).toBe(200);
    const replied = await request(`${api}/respond/${runId}`, {
      token,
      body: { requestId: pending!.requestId, message: 'Order 12345.' },
    });
    expect(replied.status).toBe(202);
    const serverSpans = (id: string) =>
      receiver.spans.filter(
        (span) => span.kind === 2 /* SERVER */ && span.attributes['durable_handoff.run.id'] === id,
      );
    const root = await waitFor('the run root and its request spans', () => {
      const found = spansOfRun(receiver, runId).find(
        (span) => span.name === 'invoke_workflow customer_support',
      );
      const names = new Set(serverSpans(runId).map((span) => span.name));
      return found && names.has('POST /api/workflows/{name}/respond/{runId}') ? found : undefined;
    });
    const requests = serverSpans(runId);
    expect(new Set(requests.map((span) => span.name))).toEqual(
      new Set([
        'POST /api/workflows/{name}/run',
        'GET /api/workflows/{name}/status/{runId}',
        'GET /api/workflows/{name}/events/{runId}',
        'POST /api/workflows/{name}/respond/{runId}',
      ]),
    );
    for (const span of requests) {
      expect(span.links).toContainEqual({ traceId: root.traceId, spanId: root.spanId });
      expect(span.traceId).not.toBe(root.traceId);
      expect(span.attributes).toMatchObject({ 'durable_handoff.workflow': 'customer_support' });
    }
    const start = only(requests, 'POST /api/workflows/{name}/run');
    expect(start).toMatchObject({ traceId: caller.traceId, parentSpanId: caller.spanId });
    expect(start.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/api/workflows/{name}/run',
      'http.response.status_code': 202,
    });
    // The run's root is a trace of its own, linked back to the request that started it.
    expect(root.parentSpanId).toBe('');
    expect(root.links).toEqual([{ traceId: start.traceId, spanId: start.spanId }]);

    await waitFor('the run to finish', () =>
      spansOfRun(receiver, runId).some((span) => span.name === 'finish_run') ? true : undefined,
    );
    // The status API's timeline, from the run's events, agrees with the spans on each turn's tokens.
    const plain = await request<Record<string, unknown>>(`${api}/status/${runId}`, { token });
    expect(plain.body.timeline).toBeUndefined();
    const status = await request<RunStatusResponse>(`${api}/status/${runId}?timeline=true`, { token });
    const entries = status.body.timeline!.entries;
    expect(entries.map((entry) => [entry.kind, entry.label])).toEqual([
      ['turn', 'coordinator_agent · turn 1'],
      ['wait', 'reply to coordinator_agent'],
      ['turn', 'coordinator_agent · turn 2'],
    ]);
    const chats = spansOfRun(receiver, runId)
      .filter((span) => span.name === 'chat scripted-model')
      .sort((a, b) => (a.startNs < b.startNs ? -1 : 1));
    expect(entries.filter((entry) => entry.kind === 'turn').map((entry) => entry.usage)).toEqual(
      chats.map((chat) => ({
        inputTokens: chat.attributes['gen_ai.usage.input_tokens'],
        outputTokens: chat.attributes['gen_ai.usage.output_tokens'],
        modelCalls: 1,
      })),
    );
    app.model.addSteps({ agent: 'coordinator_agent', reply: { text: 'Anything else I can do?' } });
    const other = await request<{ runId: string; token: string }>(`${api}/run`, {
      body: { message: 'Never mind.', mode: 'human_in_loop' },
    });
    expect(
      (await request(`${api}/terminate/${other.body.runId}`, { token: other.body.token, body: {} })).status,
    ).toBe(202);

    const cancelled = await waitFor('the terminate request span', () =>
      serverSpans(other.body.runId).find(
        (span) => span.name === 'POST /api/workflows/{name}/terminate/{runId}',
      ),
    );
    const otherRoot = await waitFor('the cancelled run root', () =>
      spansOfRun(receiver, other.body.runId).find((span) => span.name === 'invoke_workflow customer_support'),
    );
    expect(cancelled.links).toContainEqual({ traceId: otherRoot.traceId, spanId: otherRoot.spanId });
  });
});

describe('telemetry of a human-in-the-loop run across continue-as-new and a host restart (OTLP http/json)', () => {
  let receiver: OtlpReceiver;
  let model: ScriptedModelServer;
  let host: RunningHost | undefined;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'telemetry-run-'));

  const start = () =>
    startHost({
      appDir: TELEMETRY_APP,
      port: 0,
      storage: 'azurite',
      dataDir,
      env: appSettings(model, otelSettings(receiver, 'http/json')),
      log: () => undefined,
    });

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    model = await startScriptedModelServer({
      steps: [
        { agent: 'triage_agent', reply: { toolCalls: [{ name: 'handoff_to_order_agent', arguments: {} }] } },
        {
          agent: 'order_agent',
          reply: { toolCalls: [{ name: 'lookup_order', arguments: { orderId: '12345' } }] },
        },
        { agent: 'order_agent', reply: { text: 'Order 12345 is in transit. Anything else?' } },
        { agent: 'order_agent', reply: { text: 'Glad to help: your question is resolved.' } },
      ],
    });
    host = await start();
  }, 120_000);
  afterAll(async () => {
    await host?.stop();
    await model?.close();
    await receiver?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every turn, tool call, human wait and the finish in the trace the run started', async () => {
    const api = () => `${host!.baseUrl}/api/workflows/order_desk`;
    const started = await request<{ runId: string; token: string }>(`${api()}/run`, {
      body: { message: 'Where is my order 12345?' },
    });
    expect(started.status).toBe(202);
    const { runId, token } = started.body;
    const pending = await waitForAsync('the run to ask the human', async () => {
      const status = await request<{ state: string; pendingRequest: { requestId: string } | null }>(
        `${api()}/status/${runId}`,
        { token },
      );
      return status.body.state === 'awaiting_input' ? status.body.pendingRequest : undefined;
    });
    // What the first life wrote has arrived before it stops.
    await waitFor('the first life spans', () =>
      spansOfRun(receiver, runId).filter((span) => span.name === 'invoke_agent order_agent').length === 1
        ? true
        : undefined,
    );
    await host!.stop();
    host = undefined;
    host = await start();

    const replied = await request(`${api()}/respond/${runId}`, {
      token,
      body: { requestId: pending!.requestId, message: 'Thanks, that is all.' },
    });
    expect(replied.status).toBe(202);
    const spans = await waitFor('the run to finish and its spans to arrive', () => {
      const received = spansOfRun(receiver, runId);
      return received.some((span) => span.name === 'finish_run') ? received : undefined;
    });
    expect(receiver.contentTypes).toContain('application/json');

    const root = only(spans, 'invoke_workflow order_desk');
    expect(new Set(spans.map((span) => span.traceId))).toEqual(new Set([root.traceId]));
    const turns = spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'invoke_agent');
    expect(turns.map((span) => [span.name, span.attributes['durable_handoff.turn']])).toEqual(
      expect.arrayContaining([
        ['invoke_agent triage_agent', 1],
        ['invoke_agent order_agent', 2],
        ['invoke_agent order_agent', 3],
      ]),
    );
    expect(turns).toHaveLength(3);
    for (const turn of turns) expect(turn.parentSpanId).toBe(root.spanId);

    const orderTurn = turns.find((span) => span.attributes['durable_handoff.turn'] === 2)!;
    const underOrderTurn = childrenOf(spans, orderTurn).map((span) => span.name);
    expect(underOrderTurn.sort()).toEqual([
      'chat scripted-model',
      'chat scripted-model',
      'execute_tool lookup_order',
    ]);
    const toolSpan = only(spans, 'execute_tool lookup_order');
    expect(toolSpan.attributes).toMatchObject({
      'gen_ai.tool.name': 'lookup_order',
      'gen_ai.tool.type': 'function',
      'gen_ai.agent.name': 'order_agent',
    });

    const wait = only(spans, 'await_human order_agent');
    expect(wait.parentSpanId).toBe(root.spanId);
    expect(wait.attributes).toMatchObject({
      'durable_handoff.request.id': pending!.requestId,
      'durable_handoff.request.kind': 'reply',
    });
    expect(wait.endNs).toBeGreaterThanOrEqual(wait.startNs);
    expect(only(spans, 'finish_run').attributes['durable_handoff.stop_reason']).toBe(
      'terminated_by_condition',
    );
    model.assertComplete();
  });
});
