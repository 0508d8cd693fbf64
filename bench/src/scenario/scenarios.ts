/**
 * The scenarios every framework runs: the same customer message, the same route through the
 * agents, the same final answer. The scripted model server plays the model for all of them, so
 * what differs between frameworks is only the framework.
 */
import { BenchError } from '../bench-error';
import type { SupportAgentName } from './support-agents';

/** Names of the scenarios. */
export const SCENARIO_NAMES = ['handoff', 'chain'] as const;
/** A scenario's name. */
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** One scenario: the customer's message, the agents it passes through, and the specialist's answer. */
export interface Scenario {
  readonly name: ScenarioName;
  /** What the table shows. */
  readonly title: string;
  /** The customer's first (and only) message. It identifies the scenario to the responder. */
  readonly userMessage: string;
  /** The agents in the order they take the conversation; each one hands off to the next, the last one answers. */
  readonly route: readonly SupportAgentName[];
  /** The last agent's answer: the final output every framework must return. */
  readonly finalAnswer: string;
}

/**
 * Coordinator -> shipping_agent, the article's example. The answer contains "delivered", which
 * ends the sample workflow by its termination condition.
 */
export const HANDOFF_SCENARIO: Scenario = {
  name: 'handoff',
  title: 'coordinator -> shipping (1 handoff)',
  userMessage: 'I never received my order #12345',
  route: ['coordinator_agent', 'shipping_agent'],
  finalAnswer:
    "I've located your package for order #12345. It is on its way and will be delivered within 2 business days.",
};

/**
 * A 3-hop chain: coordinator -> refund_agent -> technical_agent -> senior_technical_agent. The
 * answer contains "fixed", which ends the sample workflow by its termination condition.
 */
export const CHAIN_SCENARIO: Scenario = {
  name: 'chain',
  title: 'coordinator -> refund -> technical -> senior (3 handoffs)',
  userMessage:
    'I want a refund for order #67890: the app crashes with error E-1042 every time I log in since the last update.',
  route: ['coordinator_agent', 'refund_agent', 'technical_agent', 'senior_technical_agent'],
  finalAnswer:
    'The login crash (error E-1042) came from a corrupted session cache. I cleared it and the problem is fixed; your refund request is no longer needed.',
};

/** Every scenario, in table order. */
export const SCENARIOS: readonly Scenario[] = [HANDOFF_SCENARIO, CHAIN_SCENARIO];

/** The scenario named `name`. */
export function scenarioNamed(name: string): Scenario {
  const found = SCENARIOS.find((scenario) => scenario.name === name);
  if (found === undefined) {
    throw new BenchError(
      'invalid_option',
      `Unknown scenario '${name}'. Known scenarios: ${SCENARIO_NAMES.join(', ')}.`,
    );
  }
  return found;
}

/** The scenario whose customer message is `text`, or `undefined`. */
export function scenarioForMessage(text: string | undefined): Scenario | undefined {
  return SCENARIOS.find((scenario) => scenario.userMessage === text);
}
