/**
 * The sample workflow `customer_support`: the Agent Framework handoff article's customer support
 * desk, with its "advanced" topology.
 *
 *   coordinator_agent --> refund_agent, shipping_agent, technical_agent, senior_technical_agent
 *                         (the start agent has no declared edge, so it may reach every specialist)
 *   refund_agent      --> technical_agent
 *   shipping_agent    --> refund_agent
 *   technical_agent   --> senior_technical_agent
 *   senior_technical_agent (answers; no handoffs)
 *
 * shipping_agent looks orders up (`lookup_order`); refund_agent looks them up and refunds them
 * (`issue_refund`, which a human approves first). Both work on the orders table in the app's storage.
 */
import { HandoffBuilder, agent, anyOf, maxMessages, textMentions } from 'durable-handoff';
import { issueRefund, lookupOrder } from './support-tools';

/** The frontline agent: assesses the issue and hands off to a specialist. */
export const coordinatorAgent = agent({
  name: 'coordinator_agent',
  description: 'Frontline customer support: assesses the issue and routes it to a specialist.',
  instructions: `You are a frontline customer support agent.
Assess the customer's issue and hand off to the appropriate specialist:
- For refund requests → hand off to refund_agent
- For shipping issues → hand off to shipping_agent
- For technical problems → hand off to technical_agent
Use the handoff tools to transfer the conversation.
After the specialist resolves the issue, thank the customer and end the conversation.`,
});

/** Handles refunds. */
export const refundAgent = agent({
  name: 'refund_agent',
  displayName: 'Refund desk',
  description: 'Handles refund requests: asks for order details and processes refunds.',
  instructions: `You handle refund requests. Ask for the order number if you do not have it.
Look the order up with lookup_order, then refund with issue_refund (the order's total minus what was
already refunded, unless the customer asks for less). A human approves every refund: if it is
rejected, tell the customer why and what happens next; never claim a refund that was not issued.
Once you have helped the customer, provide a clear resolution and end your response.
Do not hand off back to the coordinator - just provide your final answer.`,
  tools: [lookupOrder, issueRefund],
});

/** Resolves shipping issues. */
export const shippingAgent = agent({
  name: 'shipping_agent',
  description: 'Resolves shipping issues: tracks packages and updates delivery status.',
  instructions: `You resolve shipping issues. Track packages and update delivery status.
Look the order up with lookup_order and tell the customer where it is: its status, the carrier and the
expected delivery. If there is no such order, ask for the right number.
For order #12345, inform the customer that you've located the package and it will be delivered within 2 business days.
Provide a clear resolution and end your response. Do not ask follow-up questions.`,
  tools: [lookupOrder],
});

/** Solves technical problems; escalates complex ones. */
export const technicalAgent = agent({
  name: 'technical_agent',
  description: 'Solves technical problems step by step.',
  instructions: `You solve technical problems. Troubleshoot issues step by step.
For complex issues you cannot resolve, hand off to senior_technical_agent.
Once you have helped the customer, provide a clear resolution and end your response.
Do not hand off back to the coordinator - just provide your final answer.`,
});

/** Handles escalated technical issues. */
export const seniorTechnicalAgent = agent({
  name: 'senior_technical_agent',
  description: 'Handles escalated technical issues that need deep expertise.',
  instructions: `You handle escalated technical issues that require
deep expertise. You receive cases from the technical_agent.`,
});

/**
 * The article's `should_terminate`: end after 6 messages, or once any message mentions a resolution.
 */
export const customerSupportTermination = anyOf(
  maxMessages(6),
  textMentions(['resolved', 'delivered', 'refunded', 'fixed', 'thank you for contacting']),
);

/** The `customer_support` workflow (human in the loop by default; a run may choose autonomous). */
export const customerSupport = new HandoffBuilder({
  name: 'customer_support',
  description:
    'A customer support desk: a coordinator routes refund, shipping and technical issues to specialists.',
})
  .withStartAgent(coordinatorAgent)
  .participants([refundAgent, shippingAgent, technicalAgent, seniorTechnicalAgent])
  .addHandoff(refundAgent, technicalAgent, {
    description: 'The refund depends on a technical problem being solved.',
  })
  .addHandoff(shippingAgent, refundAgent, {
    description: 'The customer wants a refund for a lost or late order.',
  })
  .addHandoff(technicalAgent, seniorTechnicalAgent, {
    description: 'A complex technical issue needs escalation.',
  })
  .withInteractionMode('human_in_loop')
  .withTerminationCondition(customerSupportTermination)
  .build();
