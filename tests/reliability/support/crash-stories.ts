/**
 * The stories of the crash loop: four shapes of customer_support runs (two autonomous, two with
 * human replies), each tagged with its run number. Three of them use the sample's tools: the
 * shipping agent looks its order up, the refund agent of the chain looks one up before it hands
 * off, and the refund agent of the human story refunds 1 USD of order #12346 after the human's
 * approval (every other such story has the refund rejected instead). No text mentions a termination keyword
 * ('resolved', 'delivered', 'refunded', 'fixed', 'thank you for contacting') before the story's
 * last answer, and no story exceeds the article's six messages, so each ends exactly where written.
 */
import type { Story } from './run-stories';

/** The tag of run `index`: `[r00]`, `[r01]`... */
export function crashTag(index: number): string {
  return `[r${String(index).padStart(2, '0')}]`;
}

/** The story of run `index`; the shape cycles through the four below. */
export function crashStory(index: number): Story {
  const tag = crashTag(index);
  switch (index % 4) {
    case 0:
      return {
        tag,
        mode: 'autonomous',
        steps: [
          { kind: 'customer', text: `${tag} My parcel for order #1${index} has not arrived.` },
          { kind: 'handoff', agent: 'coordinator_agent', target: 'shipping_agent' },
          { kind: 'tool', agent: 'shipping_agent', tool: 'lookup_order', args: { orderId: '12345' } },
          { kind: 'answer', agent: 'shipping_agent', text: `${tag} I am checking with the carrier.` },
          { kind: 'synthetic' },
          {
            kind: 'answer',
            agent: 'shipping_agent',
            text: `${tag} Found it: your parcel will be delivered tomorrow.`,
          },
        ],
      };
    case 1:
      return {
        tag,
        mode: 'autonomous',
        steps: [
          { kind: 'customer', text: `${tag} The app crashes and I want my money back.` },
          { kind: 'handoff', agent: 'coordinator_agent', target: 'refund_agent' },
          { kind: 'tool', agent: 'refund_agent', tool: 'lookup_order', args: { orderId: '12347' } },
          { kind: 'handoff', agent: 'refund_agent', target: 'technical_agent' },
          { kind: 'handoff', agent: 'technical_agent', target: 'senior_technical_agent' },
          {
            kind: 'answer',
            agent: 'senior_technical_agent',
            text: `${tag} The crash is fixed in version 2.${index}.`,
          },
        ],
      };
    case 2:
      return {
        tag,
        mode: 'human_in_loop',
        steps: [
          { kind: 'customer', text: `${tag} I want to return my order.` },
          {
            kind: 'answer',
            agent: 'coordinator_agent',
            text: `${tag} Which order would you like to return?`,
          },
          { kind: 'human', text: `${tag} Order #2${index}, the blue kettle.` },
          { kind: 'handoff', agent: 'coordinator_agent', target: 'refund_agent' },
          { kind: 'answer', agent: 'refund_agent', text: `${tag} Why are you returning it?` },
          { kind: 'human', text: `${tag} It leaks.` },
          ...refundSteps(tag, index % 8 === 6),
        ],
      };
    default:
      return {
        tag,
        mode: 'human_in_loop',
        steps: [
          { kind: 'customer', text: `${tag} My router keeps rebooting.` },
          { kind: 'handoff', agent: 'coordinator_agent', target: 'technical_agent' },
          { kind: 'answer', agent: 'technical_agent', text: `${tag} Which firmware version do you run?` },
          { kind: 'human', text: `${tag} Version 1.0.${index}.` },
          {
            kind: 'answer',
            agent: 'technical_agent',
            text: `${tag} Update to 1.1.0: that bug is fixed there.`,
          },
        ],
      };
  }
}

/** The refund of the human story: approved (then the agent says so), or rejected with a reason. */
function refundSteps(tag: string, rejected: boolean): Story['steps'] {
  const args = { orderId: '12346', amount: 1, reason: `${tag} leaking kettle` };
  return rejected
    ? [
        {
          kind: 'tool',
          agent: 'refund_agent',
          tool: 'issue_refund',
          args,
          approve: { approved: false, reason: `${tag} refunds of this kind need a manager` },
        },
        {
          kind: 'answer',
          agent: 'refund_agent',
          text: `${tag} A manager must approve it; your case is resolved with them.`,
        },
      ]
    : [
        { kind: 'tool', agent: 'refund_agent', tool: 'issue_refund', args, approve: { approved: true } },
        { kind: 'answer', agent: 'refund_agent', text: `${tag} Your order has been refunded.` },
      ];
}
