/**
 * The chat model asked to stream (`onTextDelta`), against the scripted server over HTTP: the text
 * arrives in pieces, the response is the one a whole answer gives, and servers that do not stream
 * or streams that break are handled as the model client promises.
 */
import { ModelCallError } from '../../src/core/errors';
import type { ChatModel, ModelRequest, ModelResponse, ToolSpec } from '../../src/core/model';
import { createChatModel } from '../../src/model/create-chat-model';
import { Secret } from '../../src/model/secret';
import { startScriptedModelServer, type ScriptReply, type ScriptedModelServer } from '../../src/testing';

const lookupOrder: ToolSpec = {
  name: 'lookup_order',
  description: 'Looks up an order by id.',
  parameters: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] },
};

const request: ModelRequest = {
  agentName: 'shipping_agent',
  instructions: 'You track parcels.',
  messages: [{ role: 'user', text: 'Where is my order #12345?' }],
  tools: [lookupOrder],
  parallelToolCalls: false,
};

const ANSWER = 'Your package left the depot this morning and will arrive within 2 business days.';

describe('a chat model asked to stream', () => {
  let server: ScriptedModelServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function modelAnswering(
    replies: ScriptReply[],
    options: { azure?: boolean; timeoutMs?: number } = {},
  ): Promise<ChatModel> {
    server = await startScriptedModelServer({ steps: replies.map((reply) => ({ reply })) });
    return createChatModel(
      options.azure
        ? {
            kind: 'azure-openai',
            endpoint: server.origin,
            deployment: 'gpt-4o',
            apiVersion: '2024-10-21',
            apiKey: new Secret('azure-key-123'),
            timeoutMs: options.timeoutMs ?? 10_000,
          }
        : {
            kind: 'openai-compatible',
            baseUrl: server.baseUrl,
            model: 'gpt-test',
            timeoutMs: options.timeoutMs ?? 10_000,
          },
    );
  }

  async function streamed(model: ChatModel): Promise<{ response: ModelResponse; deltas: string[] }> {
    const deltas: string[] = [];
    const response = await model.generate(request, { onTextDelta: (delta) => deltas.push(delta) });
    return { response, deltas };
  }

  async function failureOf(promise: Promise<unknown>): Promise<ModelCallError> {
    const error: unknown = await promise.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ModelCallError);
    return error as ModelCallError;
  }

  it('asks for a stream with usage and hands the text on in pieces that make up the answer', async () => {
    const model = await modelAnswering([{ text: ANSWER, stream: { chunkDelayMs: 5 } }]);

    const { response, deltas } = await streamed(model);

    expect(server!.requests[0]!.body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas.join('')).toBe(ANSWER);
    expect(response.message).toEqual({ role: 'assistant', authorName: 'shipping_agent', text: ANSWER });
    expect(response.finishReason).toBe('stop');
    expect(response.usage.completionTokens).toBe(Math.ceil(ANSWER.length / 4));
  });

  it('returns the same response as a whole answer, tool calls and usage included', async () => {
    const reply: ScriptReply = {
      text: 'Let me look that up.',
      toolCalls: [
        {
          name: 'lookup_order',
          arguments: { orderId: '12345', note: 'a long note to split in pieces' },
          id: 'c1',
        },
        { name: 'lookup_order', arguments: '{"orderId": "67890"}', id: 'c2' },
      ],
    };
    const model = await modelAnswering([reply, reply]);

    const whole = await model.generate(request);
    const { response } = await streamed(model);

    expect(server!.requests.map((r) => r.stream)).toEqual([false, true]);
    const { id: _wholeId, ...wholeRest } = whole;
    const { id: _streamedId, ...streamedRest } = response;
    expect(streamedRest).toEqual(wholeRest);
    expect(response.message.toolCalls).toEqual([
      {
        id: 'c1',
        name: 'lookup_order',
        arguments: '{"orderId":"12345","note":"a long note to split in pieces"}',
      },
      { id: 'c2', name: 'lookup_order', arguments: '{"orderId": "67890"}' },
    ]);
  });

  it('streams from Azure OpenAI on the deployment path', async () => {
    const model = await modelAnswering([{ text: ANSWER }], { azure: true });

    const { response, deltas } = await streamed(model);

    expect(server!.requests[0]!.deployment).toBe('gpt-4o');
    expect(server!.requests[0]!.stream).toBe(true);
    expect(deltas.join('')).toBe(ANSWER);
    expect(response.message.text).toBe(ANSWER);
  });

  it('takes the whole answer from a server or proxy that answers a stream request with JSON', async () => {
    const model = await modelAnswering([{ text: ANSWER, stream: { whole: true } }]);

    const { response, deltas } = await streamed(model);

    expect(server!.requests[0]!.stream).toBe(true);
    expect(deltas).toEqual([]);
    expect(response.message.text).toBe(ANSWER);
  });

  it('asks for whole answers from then on when the server refuses the streaming parameters', async () => {
    const refusal: ScriptReply = {
      status: 400,
      body: {
        error: {
          message: 'Unrecognized request argument supplied: stream_options',
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      },
    };
    const model = await modelAnswering([refusal, { text: ANSWER }, { text: 'And again.' }]);

    const first = await streamed(model);
    const second = await streamed(model);

    expect(first.response.message.text).toBe(ANSWER);
    expect(second.response.message.text).toBe('And again.');
    expect(server!.requests.map((r) => r.stream)).toEqual([true, false, false]);
  });

  it('fails as a retryable connection error when the stream breaks off mid-answer', async () => {
    const model = await modelAnswering([{ text: ANSWER, stream: { resetAfterChunks: 4 } }]);
    const deltas: string[] = [];

    const error = await failureOf(model.generate(request, { onTextDelta: (delta) => deltas.push(delta) }));

    expect(deltas.length).toBe(4);
    expect(error.code).toBe('connection_error');
    expect(error.isRetryable).toBe(true);
    expect(error.message).toMatch(/broke off/);
  });

  it('fails as a retryable timeout when the stream stalls for the call timeout mid-answer', async () => {
    const model = await modelAnswering([{ text: ANSWER, stream: { hangAfterChunks: 2 } }], {
      timeoutMs: 300,
    });

    const error = await failureOf(streamed(model));

    expect(error.code).toBe('timeout');
    expect(error.isRetryable).toBe(true);
    expect(error.message).toMatch(/sent nothing for 300 ms/);
  });

  it('reports a content filter that stops a streamed answer as it does for a whole one', async () => {
    const model = await modelAnswering([
      { text: 'I will now say something', finishReason: 'content_filter' },
    ]);
    const deltas: string[] = [];

    const error = await failureOf(model.generate(request, { onTextDelta: (delta) => deltas.push(delta) }));

    expect(deltas.join('')).toBe('I will now say something');
    expect(error.code).toBe('content_filter');
    expect(error.isRetryable).toBe(false);
  });

  it('reads an error the server reports inside the stream, content filter or other', async () => {
    const eventStream = (error: Record<string, unknown>): ScriptReply => ({
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
      body:
        'data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hello"},"finish_reason":null}]}\n\n' +
        `data: ${JSON.stringify({ error })}\n\n`,
    });
    const model = await modelAnswering([
      eventStream({
        message: 'The response was filtered',
        code: 'content_filter',
        innererror: { code: 'ResponsibleAIPolicyViolation' },
      }),
      eventStream({ message: 'The server had an error while processing your request.', code: null }),
    ]);

    const filtered = await failureOf(streamed(model));
    const broken = await failureOf(streamed(model));

    expect([filtered.code, filtered.isRetryable]).toEqual(['content_filter', false]);
    expect([broken.code, broken.isRetryable]).toEqual(['server_error', true]);
    expect(broken.message).toMatch(/reported an error in its answer stream: The server had an error/);
  });

  it('fails as retryable when the stream ends without a finish reason or [DONE]', async () => {
    const model = await modelAnswering([
      {
        status: 200,
        headers: { 'content-type': 'text/event-stream' },
        body: 'data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}\n\n',
      },
    ]);

    const error = await failureOf(streamed(model));

    expect([error.code, error.isRetryable]).toEqual(['connection_error', true]);
    expect(error.message).toMatch(/ended before it was complete/);
  });
});
