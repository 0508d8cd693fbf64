/** Agents shared by the core tests: the article's customer support desk. */
import { agent } from '../../src/core/agent';

export const coordinator = agent({
  name: 'coordinator_agent',
  instructions: 'You are a frontline customer support agent. Hand off to the right specialist.',
});
export const refund = agent({
  name: 'refund_agent',
  description: 'Handles refund requests.',
  instructions: 'You handle refund requests.',
});
export const shipping = agent({
  name: 'shipping_agent',
  description: 'Resolves shipping issues.',
  instructions: 'You resolve shipping issues.',
});
export const technical = agent({ name: 'technical_agent', instructions: 'You solve technical problems.' });
export const seniorTechnical = agent({
  name: 'senior_technical_agent',
  instructions: 'You handle escalated technical issues.',
});
