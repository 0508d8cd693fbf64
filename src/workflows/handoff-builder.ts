/**
 * `HandoffBuilder`: the Agent Framework's fluent builder for handoff workflows, in TypeScript.
 */
import { createHash } from 'node:crypto';
import { HandoffBuilderBase } from '../core/handoff-builder';

/**
 * Builds a {@link HandoffWorkflow}. The order of calls does not matter; `build()` validates everything
 * and fails with a {@link WorkflowDefinitionError} that says what to fix. Mistakes visible in a single
 * call (an empty participant list, an unknown mode) fail at that call.
 *
 * Handoff graph: with no `addHandoff` every agent may hand off to every other (mesh). With edges declared,
 * each agent gets its declared targets, and a start agent with no declared edge gets every other
 * participant. An agent with no outgoing edge is allowed: it answers, and the human (or the autonomous
 * prompt) replies to it.
 *
 * @example
 * const workflow = new HandoffBuilder({ name: 'customer_support' })
 *   .participants([coordinator, refundAgent, shippingAgent])
 *   .withStartAgent(coordinator)
 *   .addHandoff(shippingAgent, refundAgent, { description: 'The customer wants their money back.' })
 *   .withTerminationCondition(anyOf(maxMessages(6), textMentions(['resolved'])))
 *   .build();
 */
export class HandoffBuilder extends HandoffBuilderBase {
  protected override hashDefinition(document: string): string {
    return createHash('sha256').update(document, 'utf8').digest('hex');
  }
}
