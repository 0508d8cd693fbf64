import { z } from 'zod';
import { agent } from '../../src/core/agent';
import { buildAgentRequest, filterTranscript } from '../../src/core/agent-view';
import { HandoffBuilder } from '../../src/workflows/handoff-builder';
import type { TranscriptMessage } from '../../src/core/messages';
import type { ToolCallFiltering } from '../../src/core/options';
import { tool } from '../../src/core/tool';
import { coordinator, refund } from './support-agents';

const lookupOrder = tool({
  name: 'lookup_order',
  description: 'Look up an order.',
  parameters: z.object({ orderId: z.string() }),
  execute: () => 'in transit',
});
const shipping = agent({
  name: 'shipping_agent',
  instructions: 'You resolve shipping issues.',
  model: 'gpt-4o-mini',
  tools: [lookupOrder],
});

// A run so far: the coordinator hands off (text + call), shipping looks the order up and answers.
const transcript: TranscriptMessage[] = [
  { role: 'user', text: 'I never received my order #12345' },
  {
    role: 'assistant',
    authorName: 'coordinator_agent',
    text: 'Let me get shipping.',
    toolCalls: [{ id: 'call_1', name: 'handoff_to_shipping_agent', arguments: '{}' }],
  },
  {
    role: 'tool',
    authorName: 'coordinator_agent',
    toolCallId: 'call_1',
    toolName: 'handoff_to_shipping_agent',
    text: 'Transferred to shipping_agent.',
  },
  {
    role: 'assistant',
    authorName: 'shipping_agent',
    text: '',
    toolCalls: [{ id: 'call_2', name: 'lookup_order', arguments: '{"orderId":"12345"}' }],
  },
  {
    role: 'tool',
    authorName: 'shipping_agent',
    toolCallId: 'call_2',
    toolName: 'lookup_order',
    text: 'in transit',
  },
  {
    role: 'assistant',
    authorName: 'shipping_agent',
    text: '',
    toolCalls: [{ id: 'call_3', name: 'handoff_to_refund_agent', arguments: '{}' }],
  },
  {
    role: 'tool',
    authorName: 'shipping_agent',
    toolCallId: 'call_3',
    toolName: 'handoff_to_refund_agent',
    text: 'Transferred to refund_agent.',
  },
];

const summary = (messages: TranscriptMessage[]): string[] =>
  messages.map((m) =>
    m.role === 'tool'
      ? `tool:${m.toolCallId}`
      : m.role === 'user'
        ? `user:${m.text}`
        : `${m.authorName}:${m.text}${m.toolCalls ? `[${m.toolCalls.map((c) => c.name).join(',')}]` : ''}`,
  );

describe('context filtering', () => {
  it('drops handoff calls and their results by default, and messages left empty, keeping other tool calls', () => {
    expect(summary(filterTranscript(transcript, 'handoff_only'))).toEqual([
      'user:I never received my order #12345',
      'coordinator_agent:Let me get shipping.',
      'shipping_agent:[lookup_order]',
      'tool:call_2',
    ]);
  });

  it('drops every tool call and result with "all", keeping text', () => {
    expect(summary(filterTranscript(transcript, 'all'))).toEqual([
      'user:I never received my order #12345',
      'coordinator_agent:Let me get shipping.',
    ]);
  });

  it('keeps everything with "none"', () => {
    expect(filterTranscript(transcript, 'none')).toEqual(transcript);
  });

  it.each<ToolCallFiltering>(['handoff_only', 'all', 'none'])(
    'never leaves a call without its result or a result without its call (%s)',
    (filtering) => {
      const broken: TranscriptMessage[] = [
        { role: 'tool', authorName: 'a', toolCallId: 'orphan', toolName: 'lookup_order', text: 'x' },
        {
          role: 'assistant',
          authorName: 'a',
          text: 'hm',
          toolCalls: [{ id: 'unanswered', name: 'lookup_order', arguments: '{}' }],
        },
        { role: 'user', text: 'hello' },
      ];
      expect(summary(filterTranscript(broken, filtering))).toEqual(['a:hm', 'user:hello']);
    },
  );

  it('pairs results with the calls right before them, so a call id reused in a later turn is not confused', () => {
    const reused: TranscriptMessage[] = [
      {
        role: 'assistant',
        authorName: 'a',
        text: '',
        toolCalls: [{ id: 'call_0', name: 'handoff_to_b', arguments: '' }],
      },
      {
        role: 'tool',
        authorName: 'a',
        toolCallId: 'call_0',
        toolName: 'handoff_to_b',
        text: 'Transferred to b.',
      },
      {
        role: 'assistant',
        authorName: 'b',
        text: '',
        toolCalls: [{ id: 'call_0', name: 'lookup_order', arguments: '{}' }],
      },
      { role: 'tool', authorName: 'b', toolCallId: 'call_0', toolName: 'lookup_order', text: 'found' },
    ];
    expect(summary(filterTranscript(reused, 'handoff_only'))).toEqual(['b:[lookup_order]', 'tool:call_0']);
  });
});

describe('the agent request', () => {
  const workflow = new HandoffBuilder({ name: 'view' })
    .participants([refund, shipping])
    .withStartAgent(coordinator)
    .addHandoff(shipping, refund)
    .build();

  it("sends the agent's instructions, its model, the filtered transcript and then its own new messages unfiltered", () => {
    const own: TranscriptMessage[] = [
      {
        role: 'assistant',
        authorName: 'shipping_agent',
        text: '',
        toolCalls: [{ id: 'c9', name: 'handoff_to_admin', arguments: '{}' }],
      },
      {
        role: 'tool',
        authorName: 'shipping_agent',
        toolCallId: 'c9',
        toolName: 'handoff_to_admin',
        text: 'no such target',
      },
    ];
    const request = buildAgentRequest(workflow, 'shipping_agent', transcript.slice(0, 3), own);
    expect(request.agentName).toBe('shipping_agent');
    expect(request.instructions).toBe('You resolve shipping issues.');
    expect(request.model).toBe('gpt-4o-mini');
    expect(summary([...request.messages])).toEqual([
      'user:I never received my order #12345',
      'coordinator_agent:Let me get shipping.',
      'shipping_agent:[handoff_to_admin]',
      'tool:c9',
    ]);
    expect(request.tools.map((t) => t.name)).toEqual(['handoff_to_refund_agent', 'lookup_order']);
  });

  it('disables parallel tool calls only for agents that have handoff tools', () => {
    expect(buildAgentRequest(workflow, 'shipping_agent', transcript.slice(0, 1)).parallelToolCalls).toBe(
      false,
    );
    const refundRequest = buildAgentRequest(workflow, 'refund_agent', transcript.slice(0, 1));
    expect(refundRequest.tools).toEqual([]);
    expect(refundRequest.parallelToolCalls).toBeUndefined();
  });
});
