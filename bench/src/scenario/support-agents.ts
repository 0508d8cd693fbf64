/**
 * The customer-support agents every framework under test builds: the article's coordinator and
 * specialists, with the sample workflow's handoff edges (the coordinator may reach every
 * specialist; refund -> technical, shipping -> refund, technical -> senior_technical).
 *
 * Each framework turns this one definition into its own agents, so all of them send the model
 * the same instructions and offer the same handoff targets.
 */
import { BenchError } from '../bench-error';

/** The agents of the customer-support workflow. */
export type SupportAgentName =
  'coordinator_agent' | 'refund_agent' | 'shipping_agent' | 'technical_agent' | 'senior_technical_agent';

/** One agent: its name, instructions (the system prompt), a one-line description, and where it may hand off. */
export interface SupportAgent {
  readonly name: SupportAgentName;
  readonly description: string;
  readonly instructions: string;
  readonly handoffs: readonly SupportAgentName[];
}

/** The agent every run starts with. */
export const START_AGENT: SupportAgentName = 'coordinator_agent';

/** The agents, start agent first. */
export const SUPPORT_AGENTS: readonly SupportAgent[] = [
  {
    name: 'coordinator_agent',
    description: 'Frontline customer support: assesses the issue and routes it.',
    instructions: [
      'You are a frontline customer support agent.',
      "Assess the customer's issue and hand off to the appropriate specialist:",
      '- For refund requests → hand off to refund_agent',
      '- For shipping or delivery issues → hand off to shipping_agent',
      '- For technical problems → hand off to technical_agent',
      'After the specialist resolves the issue, thank the customer and end the conversation.',
    ].join('\n'),
    handoffs: ['refund_agent', 'shipping_agent', 'technical_agent', 'senior_technical_agent'],
  },
  {
    name: 'refund_agent',
    description: 'Handles refund requests.',
    instructions: [
      'You handle refund requests. Ask for order details and process refunds.',
      'If the refund is caused by a technical fault, hand off to technical_agent.',
      'Once you have helped the customer, provide a clear resolution and end your response.',
      'Do not hand off back to the coordinator - just provide your final answer.',
    ].join('\n'),
    handoffs: ['technical_agent'],
  },
  {
    name: 'shipping_agent',
    description: 'Resolves shipping and delivery issues.',
    instructions: [
      'You resolve shipping issues. Track packages and update delivery status.',
      "For order #12345, inform the customer that you've located the package and",
      'it will be delivered within 2 business days.',
      'Provide a clear resolution and end your response. Do not ask follow-up questions.',
    ].join('\n'),
    handoffs: ['refund_agent'],
  },
  {
    name: 'technical_agent',
    description: 'Solves technical problems.',
    instructions: [
      'You solve technical problems. Troubleshoot issues step by step.',
      'Escalate problems you cannot fix to senior_technical_agent.',
      'Once you have helped the customer, provide a clear resolution and end your response.',
      'Do not hand off back to the coordinator - just provide your final answer.',
    ].join('\n'),
    handoffs: ['senior_technical_agent'],
  },
  {
    name: 'senior_technical_agent',
    description: 'Fixes escalated technical problems.',
    instructions: [
      'You are a senior technical specialist. You fix problems the technical agent escalates.',
      'Provide a clear resolution and end your response.',
    ].join('\n'),
    handoffs: [],
  },
];

/** The agent named `name`; throws for a name outside the workflow. */
export function supportAgent(name: SupportAgentName): SupportAgent {
  const found = SUPPORT_AGENTS.find((agent) => agent.name === name);
  if (found === undefined) {
    throw new BenchError(
      'invalid_option',
      `Unknown support agent '${String(name)}'. Known agents: ${SUPPORT_AGENTS.map((a) => a.name).join(', ')}.`,
    );
  }
  return found;
}
