import type { ScriptedRequestView } from '../../../src/testing';
import {
  createLongConversationResponder,
  statusUpdate,
} from '../../src/ours-only/long-conversation/long-conversation-responder';

function request(agent: string | undefined, toolNames: string[] = [], index = 1): ScriptedRequestView {
  return {
    index,
    method: 'POST',
    path: '/v1/chat/completions',
    agent,
    deployment: undefined,
    apiVersion: undefined,
    headers: {},
    body: { model: 'scripted-model', messages: [] },
    model: 'scripted-model',
    stream: false,
    toolNames,
    system: undefined,
    lastUserText: undefined,
    receivedAt: '2026-11-24T09:00:00.000Z',
  };
}

describe('long conversation responder', () => {
  it('writes numbered updates of exactly the asked length, without resolution keywords', () => {
    const text = statusUpdate(7, 600);

    expect(text).toHaveLength(600);
    expect(text.startsWith('Update 7: ')).toBe(true);
    expect(text).not.toMatch(/resolved|delivered|refunded|fixed|thank you for contacting/i);
    expect(statusUpdate(8, 600)).not.toBe(text);
  });

  it('hands off from the coordinator to shipping_agent, then lets shipping_agent answer', () => {
    const respond = createLongConversationResponder(120);

    expect(
      respond(request('coordinator_agent', ['handoff_to_refund_agent', 'handoff_to_shipping_agent'])),
    ).toEqual({ toolCalls: [{ name: 'handoff_to_shipping_agent', arguments: {} }] });
    expect(respond(request('shipping_agent', [], 3))).toEqual({ text: statusUpdate(3, 120) });
  });

  it('refuses any other agent', () => {
    const respond = createLongConversationResponder(120);

    expect(() => respond(request('refund_agent'))).toThrow(/refund_agent/);
    expect(() => respond(request('coordinator_agent', ['handoff_to_refund_agent']))).toThrow(
      /not offered handoff_to_shipping_agent/,
    );
  });
});
