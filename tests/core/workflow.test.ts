import { agent } from '../../src/core/agent';
import { WorkflowDefinitionError, WorkflowInputError } from '../../src/core/errors';
import { HandoffBuilder } from '../../src/workflows/handoff-builder';
import type { ConversationMessage } from '../../src/core/messages';
import { RunPlanSchema, WorkflowDescriptionSchema } from '../../src/core/run-plan';
import { coordinator, refund, shipping, technical } from './support-agents';

const workflow = new HandoffBuilder({ name: 'support', description: 'Support desk.' })
  .setCoordinator(coordinator)
  .participants([refund, shipping, technical])
  .addHandoff(refund, technical)
  .addHandoff(shipping, refund)
  .withAutonomousMode({ turnLimits: { shipping_agent: 2 } })
  .withMaxTurns(30)
  .withReplyTimeout(60_000)
  .withContinueAsNewEvery(5)
  .withToolCallFiltering('all')
  .withTerminationCondition((conversation) => conversation.length >= 4)
  .build();

const conversation = (n: number): ConversationMessage[] =>
  Array.from({ length: n }, (_, i) => ({ role: 'user' as const, authorName: 'user', text: `message ${i}` }));

describe('HandoffWorkflow', () => {
  it('is frozen', () => {
    expect(Object.isFrozen(workflow)).toBe(true);
    expect(Object.isFrozen(workflow.agents)).toBe(true);
    expect(() => {
      (workflow as { maxTurns: number }).maxTurns = 1;
    }).toThrow(TypeError);
  });

  it('finds agents by name and names the participants when one is missing', () => {
    expect(workflow.getAgent('refund_agent')?.instructions).toBe('You handle refund requests.');
    expect(workflow.getAgent('admin_agent')).toBeUndefined();
    expect(workflow.hasAgent('shipping_agent')).toBe(true);
    expect(() => workflow.handoffTargets('admin_agent')).toThrow(WorkflowInputError);
    expect(() => workflow.requireAgent('admin_agent')).toThrow(
      'Workflow \'support\' has no agent "admin_agent". Agents: coordinator_agent, refund_agent, shipping_agent, technical_agent.',
    );
  });

  it('plans a run with every data option the orchestrator needs, as JSON', () => {
    const plan = workflow.plan();
    expect(RunPlanSchema.parse(JSON.parse(JSON.stringify(plan)))).toEqual(plan);
    expect(plan).toEqual({
      schemaVersion: 1,
      workflow: 'support',
      version: workflow.version,
      startAgent: 'coordinator_agent',
      interactionMode: 'autonomous',
      maxTurns: 30,
      replyTimeoutMs: 60_000,
      continueAsNewEvery: 5,
      toolCallFiltering: 'all',
      autonomous: {
        coordinator_agent: {
          enabled: true,
          prompt: 'User did not respond. Continue assisting autonomously.',
          turnLimit: 50,
        },
        refund_agent: {
          enabled: true,
          prompt: 'User did not respond. Continue assisting autonomously.',
          turnLimit: 50,
        },
        shipping_agent: {
          enabled: true,
          prompt: 'User did not respond. Continue assisting autonomously.',
          turnLimit: 2,
        },
        technical_agent: {
          enabled: true,
          prompt: 'User did not respond. Continue assisting autonomously.',
          turnLimit: 50,
        },
      },
    });
  });

  it("describes an agent's display name for the chat page", () => {
    const desk = agent({ name: 'refund_agent', displayName: 'Refund desk', instructions: 'Refunds.' });
    const described = new HandoffBuilder({ name: 'named' })
      .withStartAgent(coordinator)
      .participants([desk])
      .build()
      .describe();
    expect(described.participants).toEqual([
      { name: 'coordinator_agent' },
      { name: 'refund_agent', displayName: 'Refund desk' },
    ]);
  });

  it('describes itself for GET /api/workflows without instructions', () => {
    const description = workflow.describe();
    expect(WorkflowDescriptionSchema.parse(description)).toEqual(description);
    expect(description.participants).toEqual([
      { name: 'coordinator_agent' },
      { name: 'refund_agent', description: 'Handles refund requests.' },
      { name: 'shipping_agent', description: 'Resolves shipping issues.' },
      { name: 'technical_agent' },
    ]);
    expect(description.edges.filter((e) => e.source !== 'coordinator_agent')).toEqual([
      {
        source: 'refund_agent',
        target: 'technical_agent',
        description: 'Hand off the conversation to the technical_agent agent.',
      },
      { source: 'shipping_agent', target: 'refund_agent', description: 'Handles refund requests.' },
    ]);
    expect(description).toMatchObject({
      name: 'support',
      description: 'Support desk.',
      startAgent: 'coordinator_agent',
      interactionMode: 'autonomous',
      version: workflow.version,
    });
    expect(JSON.stringify(description)).not.toContain('You handle refund requests');
  });

  it('runs the termination condition, and says no when there is none', () => {
    expect(workflow.shouldTerminate(conversation(3))).toBe(false);
    expect(workflow.shouldTerminate(conversation(4))).toBe(true);
    const withoutCondition = new HandoffBuilder({ name: 'w' })
      .participants([refund])
      .withStartAgent(coordinator)
      .build();
    expect(withoutCondition.shouldTerminate(conversation(50))).toBe(false);
  });

  it('reports a throwing condition as a definition error naming the workflow, keeping the cause', () => {
    const failing = new HandoffBuilder({ name: 'fragile' })
      .participants([refund])
      .withStartAgent(coordinator)
      .withTerminationCondition(() => {
        throw new RangeError('boom');
      })
      .build();
    let caught: unknown;
    try {
      failing.shouldTerminate(conversation(1));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(WorkflowDefinitionError);
    expect((caught as Error).message).toBe("The termination condition of workflow 'fragile' failed: boom");
    expect((caught as Error).cause).toBeInstanceOf(RangeError);
  });
});
