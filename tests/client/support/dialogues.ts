/**
 * Scripted model steps for the client tests: the article's run, and a refund dialogue that asks the
 * human twice. Replies look like what the article's agents say.
 */
import type { ScriptStep } from '../../../src/testing';

export const ARTICLE_MESSAGE = 'I never received my order #12345';

export const SHIPPING_ANSWER =
  "Thank you — I've located the package for order #12345. It will be delivered within 2 business days. The issue is resolved.";

/** coordinator_agent hands off to shipping_agent, which resolves the issue (the article's run). */
export function articleSteps(): ScriptStep[] {
  return [
    {
      agent: 'coordinator_agent',
      reply: { toolCalls: [{ name: 'handoff_to_shipping_agent', arguments: { reason: 'missing order' } }] },
    },
    { agent: 'shipping_agent', reply: { text: SHIPPING_ANSWER } },
  ];
}

export const COORDINATOR_QUESTION =
  'Happy to help! Is this about a refund, a delivery, or a technical problem?';
export const REFUND_QUESTION = 'I can help with a refund. What is your order number?';
export const REFUND_ANSWER =
  "I've refunded order #12345 in full; the money is back on your card within 5 business days.";

/**
 * The coordinator asks what the issue is; after the first reply it hands off to refund_agent, which
 * asks for the order number; after the second reply it refunds (a resolution keyword: the run ends).
 */
export function refundDialogueSteps(): ScriptStep[] {
  return [
    { agent: 'coordinator_agent', reply: { text: COORDINATOR_QUESTION } },
    { agent: 'coordinator_agent', reply: { toolCalls: [{ name: 'handoff_to_refund_agent' }] } },
    { agent: 'refund_agent', reply: { text: REFUND_QUESTION } },
    { agent: 'refund_agent', reply: { text: REFUND_ANSWER } },
  ];
}
