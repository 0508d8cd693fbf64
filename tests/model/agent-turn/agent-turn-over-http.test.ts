/**
 * One agent turn through the real `openai` SDK over HTTP against the scripted server: the turn loop
 * (own tools, corrections of invalid calls, handoffs) with the production model client.
 */
import { z } from 'zod';
import { agent } from '../../../src/core/agent';
import { HandoffBuilder } from '../../../src/workflows/handoff-builder';
import { tool } from '../../../src/core/tool';
import { createChatModel } from '../../../src/model/create-chat-model';
import { runAgentTurn } from '../../../src/model/agent-turn/run-agent-turn';
import { Secret } from '../../../src/model/secret';
import { startScriptedModelServer, type ScriptStep, type ScriptedModelServer } from '../../../src/testing';

const lookups: string[] = [];
const lookupOrder = tool({
  name: 'lookup_order',
  description: 'Looks up an order by its id.',
  parameters: z.object({ orderId: z.string() }),
  execute: ({ orderId }) => {
    lookups.push(orderId);
    return { orderId, status: 'in_transit', eta: '2 business days' };
  },
});
const shipping = agent({ name: 'shipping_agent', instructions: 'Track packages.', tools: [lookupOrder] });
const refund = agent({ name: 'refund_agent', instructions: 'Refund orders.' });
const triage = agent({ name: 'triage_agent', instructions: 'Route the customer.' });
const workflow = new HandoffBuilder({ name: 'support' })
  .withStartAgent(triage)
  .participants([shipping, refund])
  .addHandoff(shipping, refund)
  .build();

describe('runAgentTurn over HTTP with the openai client', () => {
  let server: ScriptedModelServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    lookups.length = 0;
  });

  async function turn(agentName: string, steps: ScriptStep[], onTextDelta?: (delta: string) => void) {
    server = await startScriptedModelServer({ steps });
    const model = createChatModel({
      kind: 'openai-compatible',
      baseUrl: server.baseUrl,
      apiKey: new Secret('test-key'),
      model: 'scripted',
      timeoutMs: 10_000,
    });
    return runAgentTurn({
      workflow,
      agentName,
      transcript: [{ role: 'user', text: 'Where is order 12345?' }],
      model,
      checkTerminationFirst: false,
      ...(onTextDelta ? { onTextDelta } : {}),
    });
  }

  it('runs an own tool and feeds its result back to the model', async () => {
    const result = await turn('shipping_agent', [
      {
        agent: 'shipping_agent',
        reply: { toolCalls: [{ name: 'lookup_order', arguments: { orderId: '12345' } }] },
      },
      {
        agent: 'shipping_agent',
        match: (request) => request.body.messages.some((m) => m.role === 'tool'),
        reply: { text: 'It is in transit and arrives in 2 business days.' },
      },
    ]);
    expect(lookups).toEqual(['12345']);
    expect(result).toMatchObject({
      kind: 'completed',
      decision: { kind: 'respond' },
      usage: { requests: 2 },
    });
    const toolMessage = server!.requests[1]!.body.messages.find((m) => m.role === 'tool');
    expect(JSON.stringify(toolMessage)).toContain('in_transit');
    server!.assertComplete();
  });

  it('answers malformed tool arguments with the validation error and lets the model try again', async () => {
    const result = await turn('shipping_agent', [
      {
        agent: 'shipping_agent',
        reply: { toolCalls: [{ name: 'lookup_order', arguments: '{"orderId": 12' }] },
      },
      {
        agent: 'shipping_agent',
        reply: { toolCalls: [{ name: 'lookup_order', arguments: { orderId: 12345 } }] },
      },
      {
        agent: 'shipping_agent',
        reply: { toolCalls: [{ name: 'lookup_order', arguments: { orderId: '12345' } }] },
      },
      { agent: 'shipping_agent', reply: { text: 'Found it.' } },
    ]);
    expect(lookups).toEqual(['12345']);
    expect(result.kind === 'completed' && result.warnings.map((w) => w.code)).toEqual([
      'invalid_tool_arguments',
      'invalid_tool_arguments',
    ]);
  });

  it('never follows a hallucinated handoff: the model is told the allowed targets and corrects itself', async () => {
    const result = await turn('shipping_agent', [
      { agent: 'shipping_agent', reply: { toolCalls: [{ name: 'handoff_to_admin_agent', arguments: {} }] } },
      {
        agent: 'shipping_agent',
        reply: { toolCalls: [{ name: 'handoff_to_refund_agent', arguments: { reason: 'refund' } }] },
      },
    ]);
    expect(result).toMatchObject({
      kind: 'completed',
      decision: { kind: 'handoff', target: 'refund_agent', reason: 'refund' },
    });
    const correction = server!.requests[1]!.body.messages.find((m) => m.role === 'tool');
    expect(JSON.stringify(correction)).toContain('Allowed targets: refund_agent');
    expect(result.kind === 'completed' && result.warnings[0]?.code).toBe('invalid_handoff');
  });

  it('answers an unknown tool with the list of tools and lets the model continue', async () => {
    const result = await turn('shipping_agent', [
      { agent: 'shipping_agent', reply: { toolCalls: [{ name: 'cancel_order', arguments: {} }] } },
      { agent: 'shipping_agent', reply: { text: 'I cannot cancel orders, but it arrives soon.' } },
    ]);
    expect(result).toMatchObject({ kind: 'completed', decision: { kind: 'respond' } });
    expect(result.kind === 'completed' && result.warnings[0]?.code).toBe('unknown_tool');
  });

  it('passes a retryable model error through untouched for Durable to retry', async () => {
    await expect(
      turn('shipping_agent', [
        { agent: 'shipping_agent', reply: { status: 429, headers: { 'retry-after': '3' } } },
      ]),
    ).rejects.toMatchObject({ code: 'rate_limited', isRetryable: true, retryAfterMs: 3000 });
  });

  it('streams the answers of a turn with a tool call in between as one preview, and records what a whole answer would', async () => {
    const steps = (): ScriptStep[] => [
      {
        agent: 'shipping_agent',
        reply: {
          text: 'Let me look that up.',
          toolCalls: [{ name: 'lookup_order', arguments: { orderId: '12345' }, id: 'call_lookup' }],
        },
      },
      {
        agent: 'shipping_agent',
        match: (request) => request.body.messages.some((m) => m.role === 'tool'),
        reply: { text: 'It is in transit and arrives in 2 business days.' },
      },
    ];
    const pieces: string[] = [];
    const streamed = await turn('shipping_agent', steps(), (delta) => pieces.push(delta));
    expect(server!.requests.map((request) => request.stream)).toEqual([true, true]);
    await server!.close();
    const whole = await turn('shipping_agent', steps());

    expect(pieces.length).toBeGreaterThan(4);
    expect(pieces.join('')).toBe('Let me look that up.\n\nIt is in transit and arrives in 2 business days.');
    expect(streamed).toEqual(whole);
  });
});
