import type { ConversationMessage } from '../../src/core/messages';
import { workflowRegistry } from '../../sample/src/workflows';
import { customerSupport, customerSupportTermination } from '../../sample/src/workflows/customer-support';

const user = (text: string): ConversationMessage => ({ role: 'user', authorName: 'user', text });
const said = (authorName: string, text: string): ConversationMessage => ({
  role: 'assistant',
  authorName,
  text,
});

// The article's Python should_terminate, ported line by line: the helper version must agree with it.
function articleShouldTerminate(conversation: ConversationMessage[]): boolean {
  if (conversation.length >= 6) return true;
  for (const msg of conversation) {
    if (msg.text) {
      const lower = msg.text.toLowerCase();
      if (
        ['resolved', 'delivered', 'refunded', 'fixed', 'thank you for contacting'].some((w) =>
          lower.includes(w),
        )
      )
        return true;
    }
  }
  return false;
}

describe('the customer_support sample', () => {
  it('is registered in the app registry by name', () => {
    expect(workflowRegistry.get('customer_support')).toBe(customerSupport);
  });

  it("starts at the coordinator and follows the article's advanced topology", () => {
    const description = customerSupport.describe();
    expect(description.startAgent).toBe('coordinator_agent');
    expect(description.participants.map((p) => p.name)).toEqual([
      'coordinator_agent',
      'refund_agent',
      'shipping_agent',
      'technical_agent',
      'senior_technical_agent',
    ]);
    expect(description.edges.map((e) => `${e.source} -> ${e.target}`)).toEqual([
      'coordinator_agent -> refund_agent',
      'coordinator_agent -> shipping_agent',
      'coordinator_agent -> technical_agent',
      'coordinator_agent -> senior_technical_agent',
      'refund_agent -> technical_agent',
      'shipping_agent -> refund_agent',
      'technical_agent -> senior_technical_agent',
    ]);
    expect(customerSupport.handoffTargets('senior_technical_agent')).toEqual([]);
  });

  it('waits for the human by default', () => {
    expect(customerSupport.interactionMode).toBe('human_in_loop');
  });

  it("keeps the article's instructions", () => {
    expect(customerSupport.getAgent('shipping_agent')?.instructions).toContain(
      "For order #12345, inform the customer that you've located the package and it will be delivered within 2 business days.",
    );
    expect(customerSupport.getAgent('technical_agent')?.instructions).toContain(
      'For complex issues you cannot resolve, hand off to senior_technical_agent.',
    );
  });

  it.each<[string, ConversationMessage[]]>([
    [
      'an open question',
      [user('I never received my order #12345'), said('shipping_agent', 'Which address?')],
    ],
    [
      'a delivery promise',
      [user('I never received my order #12345'), said('shipping_agent', 'It will be Delivered Monday.')],
    ],
    ['six messages', [user('a'), said('x', 'b'), user('c'), said('x', 'd'), user('e'), said('x', 'f')]],
    ['five messages', [user('a'), said('x', 'b'), user('c'), said('x', 'd'), user('e')]],
    ['a thank-you', [said('coordinator_agent', 'Thank you for contacting us!')]],
  ])("terminates exactly like the article's should_terminate on %s", (_what, conversation) => {
    expect(customerSupportTermination(conversation)).toBe(articleShouldTerminate(conversation));
    expect(customerSupport.shouldTerminate(conversation)).toBe(articleShouldTerminate(conversation));
  });
});
