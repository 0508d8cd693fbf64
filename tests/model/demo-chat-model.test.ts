import type { TranscriptMessage } from '../../src/core/messages';
import type { ModelRequest, ToolSpec } from '../../src/core/model';
import { createDemoChatModel } from '../../src/model/demo-chat-model';

const handoff = (
  target: string,
  parameters: Record<string, unknown> = { type: 'object', properties: {} },
): ToolSpec => ({
  name: `handoff_to_${target}`,
  description: `Hand the conversation to ${target}.`,
  parameters,
});
const allSpecialists = [handoff('refund_agent'), handoff('shipping_agent'), handoff('technical_agent')];

function request(agentName: string, messages: TranscriptMessage[], tools: ToolSpec[] = []): ModelRequest {
  return { agentName, instructions: `You are ${agentName}.`, messages, tools };
}
const user = (text: string): TranscriptMessage => ({ role: 'user', text });

/** The termination condition of the Agent Framework customer-support sample. */
function sampleShouldTerminate(texts: string[]): boolean {
  const keywords = ['resolved', 'delivered', 'refunded', 'fixed', 'thank you for contacting'];
  return texts.some((text) => keywords.some((keyword) => text.toLowerCase().includes(keyword)));
}

describe('the offline demo model', () => {
  const model = createDemoChatModel();

  it('hands off to shipping_agent when the customer reports a missing order', async () => {
    const response = await model.generate(
      request('triage_agent', [user('I never received my order #12345')], allSpecialists),
    );

    expect(response.message.text).toBe('');
    expect(response.message.toolCalls?.map((call) => call.name)).toEqual(['handoff_to_shipping_agent']);
    expect(response.finishReason).toBe('tool_calls');
  });

  it.each([
    ['I want my money back for the blender', 'handoff_to_refund_agent'],
    ['Please refund order #777, it arrived broken', 'handoff_to_refund_agent'],
    ['The app shows an error when I log in', 'handoff_to_technical_agent'],
    ['Where is my package?', 'handoff_to_shipping_agent'],
  ])('routes "%s" to %s', async (text, tool) => {
    const response = await model.generate(request('coordinator_agent', [user(text)], allSpecialists));

    expect(response.message.toolCalls?.[0]?.name).toBe(tool);
  });

  it('chooses only among the handoff tools actually offered', async () => {
    const offered = [handoff('shipping_agent'), handoff('technical_agent')];

    const response = await model.generate(
      request('triage_agent', [user('I need a refund for my order')], offered),
    );

    expect(response.message.toolCalls?.[0]?.name).toBe('handoff_to_shipping_agent');
  });

  it("routes by what the offered handoff tools say their targets do, whatever the agents' names", async () => {
    const desks: ToolSpec[] = [
      { ...handoff('courier_desk'), description: 'Tracks parcels and deliveries.' },
      { ...handoff('billing_desk'), description: 'Gives money back for returned items.' },
    ];
    const route = async (text: string) =>
      (await model.generate(request('front_desk', [user(text)], desks))).message.toolCalls?.[0]?.name;

    expect(await route('I want my money back')).toBe('handoff_to_billing_desk');
    expect(await route('Where is my parcel?')).toBe('handoff_to_courier_desk');
  });

  it('asks what the issue is about when the message names none, without ending the sample run', async () => {
    const response = await model.generate(request('triage_agent', [user('Hello?')], allSpecialists));

    expect(response.message.toolCalls).toBeUndefined();
    expect(response.message.text).toMatch(/refund, an order or its delivery, or a technical problem\?$/);
    expect(sampleShouldTerminate([response.message.text])).toBe(false);
  });

  it('routes by the latest human message, not by a synthetic continuation prompt', async () => {
    const messages: TranscriptMessage[] = [
      user('My package never arrived'),
      { role: 'assistant', authorName: 'triage_agent', text: 'Let me look.' },
      { role: 'user', text: 'User did not respond. Continue assisting autonomously.', synthetic: true },
    ];

    const response = await model.generate(request('triage_agent', messages, allSpecialists));

    expect(response.message.toolCalls?.[0]?.name).toBe('handoff_to_shipping_agent');
  });

  it('says the package for order #12345 will be delivered within 2 business days, which ends the sample run', async () => {
    const response = await model.generate(
      request('shipping_agent', [user('I never received my order #12345')]),
    );

    expect(response.message).toMatchObject({ role: 'assistant', authorName: 'shipping_agent' });
    expect(response.message.text).toContain("I've located the package for order #12345");
    expect(response.message.text).toContain('delivered within 2 business days');
    expect(sampleShouldTerminate([response.message.text])).toBe(true);
  });

  it('has the shipping and refund specialists ask for the order number when none was given', async () => {
    const shipping = await model.generate(request('shipping_agent', [user('My parcel is late')]));
    const refund = await model.generate(request('refund_agent', [user('I want a refund')]));

    expect(shipping.message.text).toContain('What is your order number?');
    expect(refund.message.text).toContain('What is your order number?');
    // They ask, and wait for the answer: no made-up number in the question.
    expect(`${shipping.message.text} ${refund.message.text}`).not.toMatch(/#?\d{3,}/);
    expect(sampleShouldTerminate([shipping.message.text, refund.message.text])).toBe(false);
  });

  it('has the refund specialist resolve a refund once it knows the order number', async () => {
    const messages = [
      user('I want a refund'),
      { role: 'assistant', authorName: 'refund_agent', text: 'What is your order number?' } as const,
      user('It is order 4242'),
    ];

    const response = await model.generate(request('refund_agent', messages));

    expect(response.message.text).toContain('full refund for order #4242');
    expect(sampleShouldTerminate([response.message.text])).toBe(true);
  });

  it('has the technical specialist troubleshoot first and report the fix on its next turn', async () => {
    const first = await model.generate(request('technical_agent', [user('The app crashes')]));
    const second = await model.generate(
      request('technical_agent', [user('The app crashes'), first.message, user('Error 0x42 on start')]),
    );

    expect(first.message.text).toContain('step by step');
    expect(sampleShouldTerminate([first.message.text])).toBe(false);
    expect(second.message.text).toContain('should be fixed now');
  });

  it('keeps sample specialists answering even when they are offered handoffs, so routing cannot loop', async () => {
    const response = await model.generate(
      request(
        'refund_agent',
        [user('my order #12345 never arrived')],
        [handoff('shipping_agent'), handoff('triage_agent')],
      ),
    );

    expect(response.message.toolCalls).toBeUndefined();
    expect(response.message.text).toContain('refund for order #12345');
  });

  it('answers any other agent politely', async () => {
    const response = await model.generate(request('billing_agent', [user('Hi')]));

    expect(response.message.text).toBe(
      'Thank you for your message. I have noted your request and will take care of it.',
    );
  });

  it('fills the reason and other required string properties of the handoff tool', async () => {
    const withReason = handoff('shipping_agent', {
      type: 'object',
      properties: { reason: { type: 'string' }, priority: { type: 'integer' }, summary: { type: 'string' } },
      required: ['summary'],
    });

    const response = await model.generate(
      request('triage_agent', [user('Where is my order?')], [withReason]),
    );

    expect(JSON.parse(response.message.toolCalls![0]!.arguments)).toEqual({
      reason: "The customer mentioned 'order'.",
      summary: "The customer mentioned 'order'.",
    });
  });

  it('is deterministic: the same request gives the same response, ids included, and another request other ids', async () => {
    const triage = request('triage_agent', [user('I never received my order #12345')], allSpecialists);

    const first = await model.generate(triage);
    const again = await model.generate(triage);
    const other = await model.generate({ ...triage, messages: [user('Where is my package?')] });

    expect(again).toEqual(first);
    expect(other.id).not.toBe(first.id);
    expect(other.message.toolCalls![0]!.id).not.toBe(first.message.toolCalls![0]!.id);
  });

  it('reports non-zero usage counted in words', async () => {
    const response = await model.generate(
      request('shipping_agent', [user('I never received my order #12345')]),
    );

    expect(response.usage.requests).toBe(1);
    expect(response.usage.promptTokens).toBe(3 + 6);
    expect(response.usage.completionTokens).toBe(response.message.text.split(/\s+/).length);
    expect(response.usage.totalTokens).toBe(response.usage.promptTokens + response.usage.completionTokens);
  });
});

describe("the offline demo model with the sample's tools", () => {
  const model = createDemoChatModel();
  const lookup: ToolSpec = {
    name: 'lookup_order',
    description: 'Look up an order.',
    parameters: { type: 'object', properties: { orderId: { type: 'string' } } },
  };
  const refund: ToolSpec = {
    name: 'issue_refund',
    description: 'Refund an amount of an order.',
    parameters: { type: 'object', properties: { orderId: { type: 'string' }, amount: { type: 'number' } } },
  };
  const order = {
    orderId: '12345',
    item: 'Blue kettle',
    total: 49.9,
    currency: 'USD',
    status: 'in_transit',
    carrier: 'Contoso Post',
    eta: 'within 2 business days',
    refunded: 10,
  };
  const result = (toolName: string, text: string): TranscriptMessage => ({
    role: 'tool',
    authorName: 'refund_agent',
    toolCallId: `call_${toolName}`,
    toolName,
    text,
  });

  it('looks the order up first, then refunds what is left of it', async () => {
    const first = await model.generate(
      request('refund_agent', [user('Refund order #12345')], [lookup, refund]),
    );
    expect(first.message.toolCalls?.map((c) => [c.name, JSON.parse(c.arguments) as unknown])).toEqual([
      ['lookup_order', { orderId: '12345' }],
    ]);
    const second = await model.generate(
      request(
        'refund_agent',
        [user('Refund order #12345'), result('lookup_order', JSON.stringify(order))],
        [lookup, refund],
      ),
    );
    expect(second.message.toolCalls?.map((c) => [c.name, JSON.parse(c.arguments) as unknown])).toEqual([
      ['issue_refund', { orderId: '12345', amount: 39.9, reason: 'The customer asked for a refund.' }],
    ]);
  });

  it('says what happened to the refund: issued, or rejected with the reason', async () => {
    const issued = await model.generate(
      request(
        'refund_agent',
        [
          user('Refund order #12345'),
          result('lookup_order', JSON.stringify(order)),
          result(
            'issue_refund',
            JSON.stringify({ refundId: 'R-1', amount: 39.9, currency: 'USD', status: 'refunded' }),
          ),
        ],
        [lookup, refund],
      ),
    );
    expect(issued.message.text).toMatch(
      /^I've refunded 39.9 USD for order #12345 \(refund R-1\)\..*resolved\.$/,
    );
    const rejected = await model.generate(
      request(
        'refund_agent',
        [
          user('Refund order #12345'),
          result('lookup_order', JSON.stringify(order)),
          result(
            'issue_refund',
            "Rejected: the human did not approve this call of 'issue_refund', so it did not run. Reason: Needs a receipt.",
          ),
        ],
        [lookup, refund],
      ),
    );
    expect(rejected.message.text).toBe(
      'I could not issue the refund for order #12345: it was not approved (Needs a receipt). A colleague will review your case and contact you.',
    );
    expect(sampleShouldTerminate([rejected.message.text])).toBe(false);
  });

  it('tells where an order is from its lookup, and asks again for an order that does not exist', async () => {
    const shipping = (messages: TranscriptMessage[]) =>
      model.generate(request('shipping_agent', messages, [lookup]));
    const where = await shipping([user('Where is #12345?'), result('lookup_order', JSON.stringify(order))]);
    expect(where.message.text).toContain(
      'in transit with Contoso Post and will be delivered within 2 business days',
    );
    const missing = await shipping([
      user('Where is #99999?'),
      result('lookup_order', JSON.stringify({ found: false, orderId: '99999' })),
    ]);
    expect(missing.message.text).toBe(
      'I could not find an order #99999. Could you check the number on your confirmation email?',
    );
  });
});
