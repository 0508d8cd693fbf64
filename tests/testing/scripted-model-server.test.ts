import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import {
  AGENT_HEADER,
  ScriptedModelServerError,
  startScriptedModelServer,
  type ScriptedModelServer,
  type ScriptedModelServerOptions,
} from '../../src/testing';

const handoffTool = (name: string) => ({
  type: 'function' as const,
  function: { name, description: `Hand off to ${name}`, parameters: { type: 'object', properties: {} } },
});

describe('scripted model server', () => {
  let server: ScriptedModelServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(
    options: ScriptedModelServerOptions = {},
  ): Promise<{ server: ScriptedModelServer; client: OpenAI }> {
    server = await startScriptedModelServer(options);
    return { server, client: new OpenAI({ baseURL: server.baseUrl, apiKey: 'test-key', maxRetries: 0 }) };
  }

  function ask(
    client: OpenAI,
    agent: string | undefined,
    text: string,
    extra: Partial<ChatCompletionCreateParamsNonStreaming> = {},
  ) {
    return client.chat.completions.create(
      {
        model: 'gpt-test',
        messages: [
          { role: 'system', content: `You are ${agent}.` },
          { role: 'user', content: text },
        ],
        ...extra,
      },
      agent === undefined ? {} : { headers: { [AGENT_HEADER]: agent } },
    );
  }

  it('answers each agent with its own steps in order and records who asked what', async () => {
    const { server, client } = await start({
      steps: [
        {
          agent: 'triage_agent',
          reply: { toolCalls: [{ name: 'handoff_to_shipping_agent', arguments: { reason: 'order' } }] },
        },
        { agent: 'shipping_agent', reply: { text: 'Located your package.' } },
        { agent: 'triage_agent', reply: { text: 'Anything else?' } },
      ],
    });

    const shipping = await ask(client, 'shipping_agent', 'Where is my order?');
    const first = await ask(client, 'triage_agent', 'I never received my order', {
      tools: [handoffTool('handoff_to_shipping_agent')],
    });
    const second = await ask(client, 'triage_agent', 'Thanks');

    expect(shipping.choices[0]!.message.content).toBe('Located your package.');
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    const call = first.choices[0]!.message.tool_calls![0]!;
    expect(call.type === 'function' && call.function).toEqual({
      name: 'handoff_to_shipping_agent',
      arguments: '{"reason":"order"}',
    });
    expect(second.choices[0]!.message.content).toBe('Anything else?');
    expect(server.requests.map((r) => [r.agent, r.answeredBy])).toEqual([
      ['shipping_agent', { kind: 'step', step: 2 }],
      ['triage_agent', { kind: 'step', step: 1 }],
      ['triage_agent', { kind: 'step', step: 3 }],
    ]);
    expect(server.requests[1]).toMatchObject({
      index: 2,
      path: '/v1/chat/completions',
      model: 'gpt-test',
      stream: false,
      toolNames: ['handoff_to_shipping_agent'],
      system: 'You are triage_agent.',
      lastUserText: 'I never received my order',
    });
    expect(server.requests[1]!.headers['authorization']).toBe('Bearer test-key');
    server.assertComplete();
  });

  it('matches steps by the tools offered and by a predicate, for clients that send no agent header', async () => {
    const { server, client } = await start({
      steps: [
        { toolsInclude: ['transfer_to_refund_agent'], reply: { text: 'from the tools step' } },
        {
          match: (request) => request.system?.includes('refunds') === true,
          reply: { text: 'from the predicate step' },
        },
      ],
    });

    const byPredicate = await client.chat.completions.create({
      model: 'm',
      messages: [
        { role: 'system', content: 'You handle refunds.' },
        { role: 'user', content: 'hi' },
      ],
    });
    const byTools = await ask(client, undefined, 'hi', { tools: [handoffTool('transfer_to_refund_agent')] });

    expect(byPredicate.choices[0]!.message.content).toBe('from the predicate step');
    expect(byTools.choices[0]!.message.content).toBe('from the tools step');
    server.assertComplete();
  });

  it('uses a step as many times as it says, and a repeating step without ever reporting it pending', async () => {
    const { server, client } = await start({
      steps: [
        { agent: 'a', times: 2, reply: { text: 'twice' } },
        { agent: 'b', repeat: true, reply: { text: 'always' } },
      ],
    });

    await ask(client, 'a', 'one');
    expect(server.pending()).toEqual([
      expect.objectContaining({ step: 1, remaining: 1, description: expect.stringContaining('agent a') }),
    ]);
    await ask(client, 'a', 'two');
    for (let i = 0; i < 3; i += 1) await ask(client, 'b', `call ${i}`);

    expect(server.pending()).toEqual([]);
    server.assertComplete();
  });

  it('lets a responder answer requests no step matches, with replies computed from the request', async () => {
    const { server, client } = await start({
      steps: [{ agent: 'triage_agent', reply: { text: 'scripted' } }],
      responder: (request) =>
        request.agent === 'echo_agent' ? { text: `echo: ${request.lastUserText ?? ''}` } : undefined,
    });

    const scripted = await ask(client, 'triage_agent', 'x');
    const echoed = await ask(client, 'echo_agent', 'hello');

    expect(scripted.choices[0]!.message.content).toBe('scripted');
    expect(echoed.choices[0]!.message.content).toBe('echo: hello');
    expect(server.requests[1]!.answeredBy).toEqual({ kind: 'responder' });
    server.assertComplete();
  });

  it('fails an unexpected extra call loudly: HTTP 500 naming the request, a recorded failure, and assertComplete throwing', async () => {
    const { server, client } = await start({
      steps: [
        { agent: 'triage_agent', reply: { text: 'once' } },
        { agent: 'refund_agent', reply: { text: 'never asked for' } },
      ],
    });
    await ask(client, 'triage_agent', 'first');

    const extra = ask(client, 'triage_agent', 'second', { tools: [handoffTool('handoff_to_refund_agent')] });

    await expect(extra).rejects.toMatchObject({
      status: 500,
      message: expect.stringContaining(
        'scripted model server: unexpected request #2 from agent triage_agent (tools: handoff_to_refund_agent); no step matches',
      ),
    });
    expect(server.failures).toEqual([
      expect.objectContaining({
        index: 2,
        agent: 'triage_agent',
        message: expect.stringContaining('no step matches'),
      }),
    ]);
    expect(() => server.assertComplete()).toThrow(ScriptedModelServerError);
    expect(() => server.assertComplete()).toThrow(
      /1 step\(s\) unused, 1 unexpected call\(s\)[\s\S]*refund_agent/,
    );
  });

  it('gives every completion and every tool call its own id', async () => {
    const { client } = await start({
      steps: [{ repeat: true, reply: { toolCalls: [{ name: 'lookup' }, { name: 'lookup' }] } }],
    });

    const completions = await Promise.all([
      ask(client, 'a', '1'),
      ask(client, 'a', '2'),
      ask(client, 'b', '3'),
    ]);

    const ids = completions.map((c) => c.id);
    const callIds = completions.flatMap((c) => c.choices[0]!.message.tool_calls!.map((call) => call.id));
    expect(new Set(ids).size).toBe(3);
    expect(new Set(callIds).size).toBe(6);
    expect(ids.every((id) => id.startsWith('chatcmpl-'))).toBe(true);
  });

  it('streams text as server-sent events that the openai SDK reassembles, with a usage chunk when asked', async () => {
    const text = 'I have located the package for order #12345.';
    const { client } = await start({ steps: [{ agent: 'shipping_agent', reply: { text } }] });

    const stream = client.chat.completions.stream(
      {
        model: 'gpt-test',
        messages: [{ role: 'user', content: 'where is it?' }],
        stream: true,
        stream_options: { include_usage: true },
      },
      { headers: { [AGENT_HEADER]: 'shipping_agent' } },
    );
    const deltas: string[] = [];
    stream.on('content', (delta) => deltas.push(delta));
    const completion = await stream.finalChatCompletion();

    expect(completion.choices[0]!.message.content).toBe(text);
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(text);
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('streams tool calls as index/id/name deltas followed by argument pieces', async () => {
    const args = { orderId: '12345', reason: 'the customer never received the package' };
    const { client } = await start({
      steps: [
        {
          reply: {
            text: 'Transferring you.',
            toolCalls: [
              { name: 'handoff_to_shipping_agent', arguments: args },
              { name: 'note', arguments: '{"x":1}' },
            ],
          },
        },
      ],
    });

    const completion = await client.chat.completions
      .stream({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true })
      .finalChatCompletion();

    const message = completion.choices[0]!.message;
    expect(message.content).toBe('Transferring you.');
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
    expect(
      message.tool_calls!.map(
        (call) => call.type === 'function' && [call.function.name, call.function.arguments],
      ),
    ).toEqual([
      ['handoff_to_shipping_agent', JSON.stringify(args)],
      ['note', '{"x":1}'],
    ]);
  });

  it('ends a raw event stream with data: [DONE] and sends the usage chunk without choices', async () => {
    const { server } = await start({ steps: [{ reply: { text: 'hi there' } }] });

    const response = await fetch(`${server.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'm',
        messages: [],
        stream: true,
        stream_options: { include_usage: true },
      }),
    });
    const events = (await response.text()).split('\n\n').filter((event) => event !== '');

    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event.replace(/^data: /, '')));
    expect(chunks[0].choices[0].delta).toMatchObject({ role: 'assistant' });
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { total_tokens: expect.any(Number) } });
    expect(chunks.at(-2).choices[0].finish_reason).toBe('stop');
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
  });

  it('injects status faults with the headers and body given, and an OpenAI-style error body by default', async () => {
    const { server } = await start({
      steps: [
        { reply: { status: 429, headers: { 'retry-after': '7' } } },
        { reply: { status: 400, body: { error: { message: 'bad', code: 'content_filter' } } } },
        { reply: { status: 200, body: 'not json at all' } },
      ],
    });
    const post = () =>
      fetch(`${server.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'm', messages: [] }),
      });

    const limited = await post();
    const filtered = await post();
    const raw = await post();

    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(await limited.json()).toEqual({
      error: { message: 'scripted fault: HTTP 429', type: 'scripted_fault', param: null, code: null },
    });
    expect(await filtered.json()).toEqual({ error: { message: 'bad', code: 'content_filter' } });
    expect(await raw.text()).toBe('not json at all');
    server.assertComplete();
  });

  it('answers after a delay, resets connections, and drops hanging requests when it closes', async () => {
    const { server, client } = await start({
      steps: [
        { agent: 'slow', reply: { delayMs: 20, then: { text: 'eventually' } } },
        { agent: 'reset', reply: { reset: true } },
        { agent: 'hang', reply: { hang: true } },
      ],
    });

    const slow = await ask(client, 'slow', 'x');
    const reset = ask(client, 'reset', 'x');
    const hanging = ask(client, 'hang', 'x');
    hanging.catch(() => undefined);
    await expect(reset).rejects.toThrow(OpenAI.APIConnectionError);
    await server.waitForRequests(3);
    await server.close();

    expect(slow.choices[0]!.message.content).toBe('eventually');
    await expect(hanging).rejects.toThrow(OpenAI.APIConnectionError);
  });

  it('serves Azure OpenAI deployment paths and records the deployment, api-version and credentials', async () => {
    const { server } = await start({ steps: [{ reply: { text: 'from azure' } }] });

    const response = await fetch(
      `${server.origin}/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'api-key': 'azure-key' },
        body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }),
      },
    );

    expect(response.status).toBe(200);
    expect(((await response.json()) as { model: string }).model).toBe('gpt-4o');
    expect(server.requests[0]).toMatchObject({
      path: '/openai/deployments/gpt-4o/chat/completions',
      deployment: 'gpt-4o',
      apiVersion: '2024-10-21',
      model: 'gpt-4o',
      headers: expect.objectContaining({ 'api-key': 'azure-key' }),
    });
  });

  it('lists its models on GET /v1/models', async () => {
    const { client } = await start({ models: ['scripted-model', 'other-model'] });

    const models = await client.models.list();

    expect(models.data.map((model) => model.id)).toEqual(['scripted-model', 'other-model']);
  });

  it('rejects a body that is not a Chat Completions request and an unsupported route, recording both', async () => {
    const { server } = await start();

    const notJson = await fetch(`${server.baseUrl}/chat/completions`, { method: 'POST', body: '{nope' });
    const noMessages = await fetch(`${server.baseUrl}/chat/completions`, {
      method: 'POST',
      body: '{"model":"m"}',
    });
    const responsesApi = await fetch(`${server.baseUrl}/responses`, { method: 'POST', body: '{}' });

    expect([notJson.status, noMessages.status, responsesApi.status]).toEqual([400, 400, 404]);
    expect(server.failures.map((failure) => failure.message)).toEqual([
      expect.stringContaining('the body is not JSON'),
      expect.stringContaining('messages'),
      expect.stringContaining('unsupported route POST /v1/responses'),
    ]);
    expect(server.requests).toEqual([]);
  });

  it('refuses, as providers do, a tool result without its call and a call without its result', async () => {
    const { server } = await start({ responder: () => ({ text: 'ok' }) });
    const send = (messages: unknown[]) =>
      fetch(`${server.baseUrl}/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({ model: 'm', messages }),
      });
    const call = {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'c1', type: 'function', function: { name: 't', arguments: '{}' } }],
    };
    const result = { role: 'tool', tool_call_id: 'c1', content: 'done' };

    const orphan = await send([{ role: 'user', content: 'hi' }, result]);
    const unanswered = await send([{ role: 'user', content: 'hi' }, call, { role: 'user', content: 'and?' }]);
    const paired = await send([{ role: 'user', content: 'hi' }, call, result]);

    expect([orphan.status, unanswered.status, paired.status]).toEqual([400, 400, 200]);
    expect(server.failures.map((failure) => failure.message)).toEqual([
      expect.stringContaining(
        "a 'tool' message must answer a tool call of the assistant message before it ('c1' does not)",
      ),
      expect.stringContaining(
        "the tool calls 'c1' of an earlier assistant message have no tool message answering them",
      ),
    ]);
  });

  it('rejects a malformed step when it is added, naming the step and the field', async () => {
    const { server } = await start();

    expect(() =>
      server.addSteps({ agent: 'a', reply: { text: 'ok' } }, { agent: 'b', reply: { txt: 'typo' } as never }),
    ).toThrow(/step #2 is invalid at 'reply'/);
  });

  it('answers a malformed reply from a responder with HTTP 500 that lists the allowed reply shapes', async () => {
    const { server, client } = await start({ responder: () => ({ status: 'soon' }) as never });

    await expect(ask(client, 'a', 'x')).rejects.toMatchObject({ status: 500 });
    expect(server.failures[0]!.message).toMatch(
      /invalid scripted reply \{"status":"soon"\}: a reply is one of/,
    );
  });

  it('waits for a number of requests, and fails with what arrived when the deadline passes', async () => {
    const { server, client } = await start({ steps: [{ repeat: true, reply: { text: 'ok' } }] });

    const waiting = server.waitForRequests(2);
    await ask(client, 'a', '1');
    await ask(client, 'b', '2');

    await expect(waiting).resolves.toHaveLength(2);
    await expect(server.waitForRequests(3, { timeoutMs: 10 })).rejects.toThrow(
      /waited 10 ms for 3 request\(s\), 2 arrived \(from agents: a, b\)/,
    );
  });

  it('forgets steps, requests and failures on reset while keeping completion ids unique', async () => {
    const { server, client } = await start({
      steps: [{ reply: { text: 'one' } }, { agent: 'never', reply: { text: 'x' } }],
    });
    const before = await ask(client, 'a', '1');
    await ask(client, 'a', '2').catch(() => undefined);

    server.reset();
    server.addSteps({ reply: { text: 'two' } });
    const after = await ask(client, 'a', '3');

    expect(server.requests).toHaveLength(1);
    expect(server.failures).toEqual([]);
    expect(after.id).not.toBe(before.id);
    server.assertComplete();
  });
});
