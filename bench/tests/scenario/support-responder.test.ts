import type { ScriptedRequestView } from '../../../src/testing';
import { createSupportResponder } from '../../src/scenario/support-responder';
import { HANDOFF_SCENARIO } from '../../src/scenario/scenarios';
import { supportAgent } from '../../src/scenario/support-agents';

function view(agent: string, toolNames: string[]): ScriptedRequestView {
  const system = supportAgent('shipping_agent').instructions;
  return {
    index: 1,
    method: 'POST',
    path: '/v1/chat/completions',
    agent,
    deployment: undefined,
    apiVersion: undefined,
    headers: {},
    body: {
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: HANDOFF_SCENARIO.userMessage },
      ],
    },
    model: 'scripted-model',
    stream: false,
    toolNames,
    system,
    lastUserText: HANDOFF_SCENARIO.userMessage,
    receivedAt: new Date(0).toISOString(),
  };
}

describe('support responder', () => {
  it('answers at once when the latency is zero', () => {
    const respond = createSupportResponder({ latencyMs: () => 0 });

    expect(respond(view('shipping_agent', []))).toEqual({ text: HANDOFF_SCENARIO.finalAnswer });
  });

  it('delays the same answer by the latency the bench sets, read at each request', () => {
    let latency = 100;
    const respond = createSupportResponder({ latencyMs: () => latency });

    const slow = respond(view('coordinator_agent', ['handoff_to_shipping_agent']));
    latency = 0;
    const fast = respond(view('coordinator_agent', ['handoff_to_shipping_agent']));

    const handoff = { toolCalls: [{ name: 'handoff_to_shipping_agent', arguments: {} }] };
    expect(slow).toEqual({ delayMs: 100, then: handoff });
    expect(fast).toEqual(handoff);
  });

  it('rejects an agent header that names no agent of the workflow', () => {
    const respond = createSupportResponder({ latencyMs: () => 0 });

    expect(() => respond(view('admin_agent', []))).toThrow(
      "request #1 names agent 'admin_agent' in its header. Known agents: coordinator_agent, refund_agent",
    );
  });
});
