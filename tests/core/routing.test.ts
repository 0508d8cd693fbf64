import { z } from 'zod';
import { agent } from '../../src/core/agent';
import { HandoffBuilder } from '../../src/workflows/handoff-builder';
import type { AssistantMessage, ToolCall } from '../../src/core/messages';
import { routeResponse } from '../../src/core/routing';
import { tool } from '../../src/core/tool';
import { coordinator, shipping, technical } from './support-agents';

const issueRefund = tool({
  name: 'issue_refund',
  description: 'Refund an order.',
  parameters: z.object({ orderId: z.string() }),
  execute: () => 'refunded',
});
const refund = agent({ name: 'refund_agent', instructions: 'You handle refunds.', tools: [issueRefund] });
const workflow = new HandoffBuilder({ name: 'routing' })
  .participants([refund, shipping, technical])
  .withStartAgent(coordinator)
  .addHandoff(refund, technical)
  .addHandoff(shipping, refund)
  .build();

const call = (id: string, name: string, args = '{}'): ToolCall => ({ id, name, arguments: args });
const reply = (text: string, ...toolCalls: ToolCall[]): AssistantMessage =>
  toolCalls.length > 0
    ? { role: 'assistant', authorName: 'refund_agent', text, toolCalls }
    : { role: 'assistant', authorName: 'refund_agent', text };

describe('routeResponse', () => {
  it('hands off to technical_agent when the refund agent calls its handoff tool, answering the call with a transfer result', () => {
    const decision = routeResponse(
      workflow,
      'refund_agent',
      reply('', call('c1', 'handoff_to_technical_agent', '{"reason":"app crashes"}')),
    );
    expect(decision).toEqual({
      kind: 'handoff',
      target: 'technical_agent',
      reason: 'app crashes',
      results: [
        {
          role: 'tool',
          authorName: 'refund_agent',
          toolCallId: 'c1',
          toolName: 'handoff_to_technical_agent',
          text: 'Transferred to technical_agent.',
        },
      ],
      warnings: [],
    });
  });

  it('treats an answer without tool calls as a response to the human', () => {
    expect(routeResponse(workflow, 'refund_agent', reply('Your refund is on its way.'))).toEqual({
      kind: 'respond',
      warnings: [],
    });
  });

  it('warns about an answer with no text and no calls', () => {
    expect(routeResponse(workflow, 'refund_agent', reply(''))).toMatchObject({
      kind: 'respond',
      warnings: [{ code: 'empty_response' }],
    });
  });

  it('never follows a hallucinated handoff: the model gets an error naming the valid targets', () => {
    const decision = routeResponse(workflow, 'refund_agent', reply('', call('c1', 'handoff_to_admin_agent')));
    const expected =
      "Agent 'refund_agent' may not hand off to 'admin_agent'. Allowed targets: technical_agent.";
    expect(decision).toEqual({
      kind: 'error',
      steps: [{ kind: 'answer', call: call('c1', 'handoff_to_admin_agent'), text: expected }],
      warnings: [{ code: 'invalid_handoff', message: expected }],
    });
  });

  it('never follows a handoff to an existing agent the source was not offered', () => {
    const decision = routeResponse(
      workflow,
      'refund_agent',
      reply('', call('c1', 'handoff_to_shipping_agent')),
    );
    expect(decision.kind).toBe('error');
    expect(decision.warnings[0]?.message).toBe(
      "Agent 'refund_agent' may not hand off to 'shipping_agent'. Allowed targets: technical_agent.",
    );
  });

  it('answers an unknown tool with the list of available tools', () => {
    const decision = routeResponse(workflow, 'refund_agent', reply('', call('c1', 'delete_account')));
    expect(decision).toMatchObject({ kind: 'error', warnings: [{ code: 'unknown_tool' }] });
    expect(decision.warnings[0]?.message).toBe(
      "Agent 'refund_agent' has no tool 'delete_account'. Available tools: handoff_to_technical_agent, issue_refund.",
    );
  });

  it('follows the last of two handoff calls, with a warning, and answers the other as ignored', () => {
    const decision = routeResponse(
      workflow,
      'coordinator_agent',
      reply('', call('c1', 'handoff_to_refund_agent'), call('c2', 'handoff_to_shipping_agent')),
    );
    expect(decision.kind).toBe('handoff');
    if (decision.kind !== 'handoff') return;
    expect(decision.target).toBe('shipping_agent');
    expect(decision.results.map((r) => r.text)).toEqual([
      'Ignored: only one handoff per turn.',
      'Transferred to shipping_agent.',
    ]);
    expect(decision.results.map((r) => r.authorName)).toEqual(['coordinator_agent', 'coordinator_agent']);
    expect(decision.warnings).toEqual([
      {
        code: 'multiple_handoffs',
        message:
          "Agent 'coordinator_agent' called 2 handoff tools in one response (refund_agent, shipping_agent); following the last one, to 'shipping_agent'.",
      },
    ]);
  });

  it('does not run own tools called next to a handoff, and says so to the model', () => {
    const decision = routeResponse(
      workflow,
      'refund_agent',
      reply('', call('c1', 'issue_refund', '{"orderId":"1"}'), call('c2', 'handoff_to_technical_agent')),
    );
    expect(decision).toMatchObject({
      kind: 'handoff',
      target: 'technical_agent',
      warnings: [{ code: 'tool_skipped' }],
    });
    if (decision.kind !== 'handoff') return;
    expect(decision.results[0]?.text).toBe(
      "Not executed: 'issue_refund' was not run because the conversation was handed off to technical_agent.",
    );
  });

  it('still hands off when the optional reason is malformed, leaving the reason out', () => {
    const decision = routeResponse(
      workflow,
      'refund_agent',
      reply('', call('c1', 'handoff_to_technical_agent', '{"reason": ')),
    );
    expect(decision).toMatchObject({
      kind: 'handoff',
      target: 'technical_agent',
      warnings: [{ code: 'invalid_handoff_arguments' }],
    });
    expect(decision).not.toHaveProperty('reason');
  });

  it('plans own tool calls with validated arguments, and rejects arguments that fail the schema', () => {
    expect(
      routeResponse(workflow, 'refund_agent', reply('', call('c1', 'issue_refund', '{"orderId":"12345"}'))),
    ).toMatchObject({
      kind: 'tools',
      steps: [{ kind: 'execute', args: { orderId: '12345' } }],
      warnings: [],
    });
    const bad = routeResponse(workflow, 'refund_agent', reply('', call('c1', 'issue_refund', '{"order":1}')));
    expect(bad).toMatchObject({ kind: 'error', warnings: [{ code: 'invalid_tool_arguments' }] });
    expect(bad.kind === 'error' && bad.steps[0]?.kind === 'answer' && bad.steps[0].text).toMatch(
      /^Invalid arguments for tool 'issue_refund': the arguments do not match the schema: orderId: /,
    );
  });

  it('tells an agent with no handoffs that it should answer directly', () => {
    const decision = routeResponse(workflow, 'technical_agent', {
      role: 'assistant',
      authorName: 'technical_agent',
      text: '',
      toolCalls: [call('c1', 'handoff_to_refund_agent')],
    });
    expect(decision.warnings[0]?.message).toBe(
      "Agent 'technical_agent' may not hand off to 'refund_agent'. Allowed targets: none (answer directly instead).",
    );
  });
});
