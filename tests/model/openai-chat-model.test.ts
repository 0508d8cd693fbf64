import { DurableHandoffError, ModelCallError, errorFromJSON, isSerializedError } from '../../src/core/errors';
import type { ChatModel, ModelRequest, ToolSpec } from '../../src/core/model';
import { createChatModel } from '../../src/model/create-chat-model';
import { Secret } from '../../src/model/secret';
import { startScriptedModelServer, type ScriptStep, type ScriptedModelServer } from '../../src/testing';

const handoffToShipping: ToolSpec = {
  name: 'handoff_to_shipping_agent',
  description: 'Hand the conversation to shipping_agent.',
  parameters: { type: 'object', properties: {}, additionalProperties: false },
};
const lookupOrder: ToolSpec = {
  name: 'lookup_order',
  description: 'Looks up an order by id.',
  parameters: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] },
};

function triageRequest(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    agentName: 'triage_agent',
    instructions: 'You are a frontline customer support agent.',
    messages: [{ role: 'user', text: 'I never received my order #12345' }],
    tools: [handoffToShipping],
    parallelToolCalls: false,
    ...overrides,
  };
}

describe('OpenAIChatModel against the scripted server', () => {
  let server: ScriptedModelServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function modelWith(
    steps: ScriptStep[],
    timeoutMs = 10_000,
  ): Promise<{ model: ChatModel; server: ScriptedModelServer }> {
    server = await startScriptedModelServer({ steps });
    const model = createChatModel({
      kind: 'openai-compatible',
      baseUrl: server.baseUrl,
      model: 'gpt-test',
      timeoutMs,
    });
    return { model, server };
  }

  async function failureOf(promise: Promise<unknown>): Promise<ModelCallError> {
    const error: unknown = await promise.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ModelCallError);
    return error as ModelCallError;
  }

  it('returns the handoff tool call of the triage agent as an assistant message authored by it', async () => {
    const { model, server } = await modelWith([
      {
        agent: 'triage_agent',
        reply: { toolCalls: [{ name: 'handoff_to_shipping_agent', arguments: {}, id: 'call_1' }] },
      },
    ]);

    const response = await model.generate(triageRequest());

    expect(response.message).toEqual({
      role: 'assistant',
      authorName: 'triage_agent',
      text: '',
      toolCalls: [{ id: 'call_1', name: 'handoff_to_shipping_agent', arguments: '{}' }],
    });
    expect(response.finishReason).toBe('tool_calls');
    expect(response.id).toMatch(/^chatcmpl-/);
    expect(response.usage.requests).toBe(1);
    expect(response.usage.totalTokens).toBe(response.usage.promptTokens + response.usage.completionTokens);
    expect(response.usage.promptTokens).toBeGreaterThan(0);
    server.assertComplete();
  });

  it('sends the instructions as the system message, the agent header, the tools and parallel_tool_calls', async () => {
    const { model, server } = await modelWith([
      { agent: 'triage_agent', reply: { text: 'How can I help?' } },
    ]);

    await model.generate(triageRequest());

    const [request] = server.requests;
    expect(request!.agent).toBe('triage_agent');
    expect(request!.body).toMatchObject({
      model: 'gpt-test',
      messages: [
        { role: 'system', content: 'You are a frontline customer support agent.' },
        { role: 'user', content: 'I never received my order #12345' },
      ],
      tools: [
        {
          type: 'function',
          function: { name: 'handoff_to_shipping_agent', parameters: handoffToShipping.parameters },
        },
      ],
      parallel_tool_calls: false,
    });
    expect(request!.headers['authorization']).toBeUndefined();
  });

  it('leaves parallel_tool_calls out when no tools are offered, and lets a request name its model', async () => {
    const { model, server } = await modelWith([{ reply: { text: 'ok' } }]);

    await model.generate(triageRequest({ tools: [], parallelToolCalls: false, model: 'other-model' }));

    expect(server.requests[0]!.body).not.toHaveProperty('parallel_tool_calls');
    expect(server.requests[0]!.body).not.toHaveProperty('tools');
    expect(server.requests[0]!.model).toBe('other-model');
  });

  it('returns a specialist text answer with its finish reason and the server-reported usage', async () => {
    const text = "I've located the package for order #12345; it will be delivered within 2 business days.";
    const { model } = await modelWith([{ agent: 'shipping_agent', reply: { text } }]);

    const response = await model.generate(triageRequest({ agentName: 'shipping_agent', tools: [] }));

    expect(response.message).toEqual({ role: 'assistant', authorName: 'shipping_agent', text });
    expect(response.finishReason).toBe('stop');
    expect(response.usage.completionTokens).toBe(Math.ceil(text.length / 4));
  });

  it('round-trips an own tool: the call comes back intact and the tool result goes out as a tool message', async () => {
    const { model, server } = await modelWith([
      {
        agent: 'shipping_agent',
        reply: { toolCalls: [{ name: 'lookup_order', arguments: { orderId: '12345' }, id: 'call_lookup' }] },
      },
      { agent: 'shipping_agent', reply: { text: 'Your order ships tomorrow.' } },
    ]);
    const base = triageRequest({ agentName: 'shipping_agent', tools: [lookupOrder] });

    const first = await model.generate(base);
    const second = await model.generate({
      ...base,
      messages: [
        ...base.messages,
        first.message,
        {
          role: 'tool',
          authorName: 'shipping_agent',
          toolCallId: 'call_lookup',
          toolName: 'lookup_order',
          text: '{"status":"packed"}',
        },
      ],
    });

    expect(first.message.toolCalls).toEqual([
      { id: 'call_lookup', name: 'lookup_order', arguments: '{"orderId":"12345"}' },
    ]);
    expect(second.message.text).toBe('Your order ships tomorrow.');
    expect(server.requests[1]!.body.messages.slice(2)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_lookup',
            type: 'function',
            function: { name: 'lookup_order', arguments: '{"orderId":"12345"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_lookup', content: '{"status":"packed"}' },
    ]);
    server.assertComplete();
  });

  it('keeps malformed tool arguments as the raw text the model produced', async () => {
    const { model } = await modelWith([
      { reply: { toolCalls: [{ name: 'lookup_order', arguments: '{"orderId": 123' }] } },
    ]);

    const response = await model.generate(triageRequest({ tools: [lookupOrder] }));

    expect(response.message.toolCalls).toEqual([
      { id: expect.any(String), name: 'lookup_order', arguments: '{"orderId": 123' },
    ]);
  });

  it('returns a call to a tool that was never offered unchanged, for the turn loop to reject', async () => {
    const { model } = await modelWith([{ reply: { toolCalls: [{ name: 'handoff_to_admin_agent' }] } }]);

    const response = await model.generate(triageRequest());

    expect(response.message.toolCalls?.map((call) => call.name)).toEqual(['handoff_to_admin_agent']);
  });

  it('turns a 429 with retry-after into a retryable rate_limited error after exactly one request', async () => {
    const { model, server } = await modelWith([{ reply: { status: 429, headers: { 'retry-after': '2' } } }]);

    const error = await failureOf(model.generate(triageRequest()));

    expect(error).toMatchObject({
      code: 'rate_limited',
      isRetryable: true,
      statusCode: 429,
      retryAfterMs: 2000,
    });
    expect(server.requests).toHaveLength(1);
  });

  it('turns a 500 into a retryable server_error whose code survives JSON serialization', async () => {
    const { model, server } = await modelWith([{ reply: { status: 500 } }]);

    const error = await failureOf(model.generate(triageRequest()));
    const wire: unknown = JSON.parse(JSON.stringify(error));

    expect(error).toMatchObject({ code: 'server_error', isRetryable: true, statusCode: 500 });
    expect(error.message).toContain('HTTP 500');
    expect(isSerializedError(wire)).toBe(true);
    const rebuilt = errorFromJSON(wire as Parameters<typeof errorFromJSON>[0]);
    expect(DurableHandoffError.isInstance(rebuilt)).toBe(true);
    expect(rebuilt).toMatchObject({ code: 'server_error', isRetryable: true, statusCode: 500 });
    expect(server.requests).toHaveLength(1);
  });

  it('turns a server that does not answer within the timeout into a retryable timeout error', async () => {
    const { model, server } = await modelWith([{ reply: { hang: true } }], 200);

    const error = await failureOf(model.generate(triageRequest()));

    expect(error).toMatchObject({ code: 'timeout', isRetryable: true });
    expect(server.requests).toHaveLength(1);
  });

  it('turns a reset connection into a retryable connection_error', async () => {
    const { model } = await modelWith([{ reply: { reset: true } }]);

    const error = await failureOf(model.generate(triageRequest()));

    expect(error).toMatchObject({ code: 'connection_error', isRetryable: true });
  });

  it('turns an abort by the caller into a timeout error instead of hanging', async () => {
    const { model, server } = await modelWith([{ reply: { hang: true } }]);
    const controller = new AbortController();

    const pending = model.generate(triageRequest(), { signal: controller.signal });
    await server.waitForRequests(1);
    controller.abort();

    expect(await failureOf(pending)).toMatchObject({ code: 'timeout' });
  });

  it.each([
    [400, { code: 'content_filter', message: 'The response was filtered' }, 'content_filter'],
    [
      400,
      { code: 'context_length_exceeded', message: "This model's maximum context length is 8192 tokens" },
      'context_length_exceeded',
    ],
    [400, { code: null, message: 'Invalid value for tools' }, 'bad_request'],
    [401, { code: 'invalid_api_key', message: 'Incorrect API key provided' }, 'authentication'],
    [403, { code: null, message: 'Forbidden' }, 'permission_denied'],
    [404, { code: 'DeploymentNotFound', message: 'The deployment does not exist' }, 'not_found'],
  ])('turns HTTP %i %j into a permanent %s error', async (status, error, code) => {
    const { model } = await modelWith([
      { reply: { status, body: { error: { type: 'invalid_request_error', ...error } } } },
    ]);

    const thrown = await failureOf(model.generate(triageRequest()));

    expect(thrown).toMatchObject({ code, isRetryable: false, statusCode: status });
    expect(thrown.message).toContain(error.message);
  });

  it('turns a completion stopped by the content filter into a content_filter error', async () => {
    const { model } = await modelWith([{ reply: { text: '', finishReason: 'content_filter' } }]);

    const error = await failureOf(model.generate(triageRequest()));

    expect(error).toMatchObject({ code: 'content_filter', isRetryable: false });
  });

  it('turns a 200 whose body is not a completion into a server_error naming what is missing', async () => {
    const { model } = await modelWith([
      { reply: { status: 200, body: { id: 'x', object: 'chat.completion' } } },
    ]);

    const error = await failureOf(model.generate(triageRequest()));

    expect(error).toMatchObject({ code: 'server_error' });
    expect(error.message).toContain('choices');
  });

  it('never repeats the API key in an error, even when the server quotes it', async () => {
    server = await startScriptedModelServer({
      steps: [
        {
          reply: {
            status: 401,
            body: { error: { message: 'Incorrect API key provided: my-own-secret-value.' } },
          },
        },
      ],
    });
    const model = createChatModel({
      kind: 'openai-compatible',
      baseUrl: server.baseUrl,
      model: 'gpt-test',
      apiKey: new Secret('my-own-secret-value'),
      timeoutMs: 10_000,
    });

    const error = await failureOf(model.generate(triageRequest()));

    expect(server.requests[0]!.headers['authorization']).toBe('Bearer my-own-secret-value');
    expect(error.message).toContain('Incorrect API key provided: [redacted]');
    expect(JSON.stringify(error)).not.toContain('my-own-secret-value');
  });
});
