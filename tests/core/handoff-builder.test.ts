import { z } from 'zod';
import { agent } from '../../src/core/agent';
import { WorkflowDefinitionError } from '../../src/core/errors';
import { HandoffBuilder } from '../../src/workflows/handoff-builder';
import type { FunctionTool } from '../../src/core/tool';
import { tool } from '../../src/core/tool';
import { coordinator, refund, shipping, technical } from './support-agents';

function buildError(make: () => unknown): WorkflowDefinitionError {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(WorkflowDefinitionError);
    return error as WorkflowDefinitionError;
  }
  throw new Error('expected a WorkflowDefinitionError, but nothing was thrown');
}

const base = (): HandoffBuilder =>
  new HandoffBuilder({ name: 'support' }).participants([refund, shipping]).withStartAgent(coordinator);

describe('HandoffBuilder validation', () => {
  it('rejects a workflow name that cannot appear in a URL', () => {
    expect(buildError(() => new HandoffBuilder({ name: 'customer support' })).message).toMatch(
      /Workflow name "customer support" is invalid/,
    );
  });

  it('rejects an empty participant list', () => {
    expect(buildError(() => new HandoffBuilder({ name: 'w' }).participants([])).message).toMatch(
      /needs a non-empty list of agents/,
    );
  });

  it('rejects a second participants() call', () => {
    const builder = new HandoffBuilder({ name: 'w' }).participants([refund]);
    expect(buildError(() => builder.participants([shipping])).message).toMatch(/already called/);
  });

  it('rejects two participants with the same name', () => {
    const twin = agent({ name: 'refund_agent', instructions: 'Another refund agent.' });
    expect(buildError(() => new HandoffBuilder({ name: 'w' }).participants([refund, twin])).message).toMatch(
      /lists 'refund_agent' twice/,
    );
  });

  it('rejects a participant that is not an agent', () => {
    const notAnAgent = { name: 'bad name!' } as unknown as typeof refund;
    expect(buildError(() => new HandoffBuilder({ name: 'w' }).participants([notAnAgent])).message).toMatch(
      /Agent name "bad name!" is invalid/,
    );
  });

  it('fails build() without a start agent instead of picking one', () => {
    const error = buildError(() =>
      new HandoffBuilder({ name: 'w' }).participants([refund, shipping]).build(),
    );
    expect(error.message).toMatch(
      /no start agent; call \.withStartAgent\(agent\) \(or its alias \.setCoordinator/,
    );
    expect(error.message).toMatch(/Participants: refund_agent, shipping_agent/);
  });

  it('fails build() without participants', () => {
    expect(
      buildError(() => new HandoffBuilder({ name: 'w' }).withStartAgent(coordinator).build()).message,
    ).toMatch(/no participants/);
  });

  it('rejects a second, different start agent', () => {
    const builder = new HandoffBuilder({ name: 'w' }).withStartAgent(coordinator);
    expect(buildError(() => builder.setCoordinator(refund)).message).toMatch(/already 'coordinator_agent'/);
  });

  it('rejects a start agent that differs from the participant of the same name', () => {
    const impostor = agent({ name: 'refund_agent', instructions: 'Different instructions.' });
    const builder = new HandoffBuilder({ name: 'w' })
      .participants([refund, shipping])
      .withStartAgent(impostor);
    expect(buildError(() => builder.build()).message).toMatch(/start agent 'refund_agent' differs/);
  });

  it('rejects an edge to an agent that is not a participant', () => {
    const error = buildError(() => base().addHandoff(refund, technical).build());
    expect(error.message).toMatch(/'technical_agent' is not a participant/);
    expect(error.message).toMatch(/Participants: coordinator_agent, refund_agent, shipping_agent/);
  });

  it('rejects an edge whose agent differs from the participant of the same name', () => {
    const otherRefund = agent({ name: 'refund_agent', instructions: 'Not the registered refund agent.' });
    expect(buildError(() => base().addHandoff(shipping, otherRefund).build()).message).toMatch(
      /'refund_agent' differs from the participant of the same name/,
    );
  });

  it('rejects an edge from an agent to itself', () => {
    expect(buildError(() => base().addHandoff(refund, refund)).message).toMatch(/cannot hand off to itself/);
  });

  it('rejects an edge with no targets', () => {
    expect(buildError(() => base().addHandoff(refund, [])).message).toMatch(/needs at least one target/);
  });

  it('rejects the same edge declared with two different descriptions', () => {
    const builder = base().addHandoff(shipping, refund, { description: 'Refunds.' });
    expect(
      buildError(() => builder.addHandoff(shipping, refund, { description: 'Money back.' })).message,
    ).toMatch(/the edge 'shipping_agent' -> 'refund_agent' was declared with the description "Refunds\."/);
  });

  it('rejects an unknown interaction mode and names the allowed ones', () => {
    const error = buildError(() => base().withInteractionMode('chatty' as 'autonomous'));
    expect(error.message).toBe(
      'Unknown interaction mode "chatty". Allowed modes: human_in_loop, autonomous (and \'interactive\', an alias of human_in_loop).',
    );
  });

  it('rejects an unknown tool-call filtering value', () => {
    expect(buildError(() => base().withToolCallFiltering('some' as 'all')).message).toMatch(
      /Allowed values: handoff_only, all, none/,
    );
  });

  it.each([
    ['withMaxTurns', (b: HandoffBuilder) => b.withMaxTurns(0)],
    ['withMaxTurns', (b: HandoffBuilder) => b.withMaxTurns(2.5)],
    ['withReplyTimeout', (b: HandoffBuilder) => b.withReplyTimeout(-1)],
    ['withReplyTimeout', (b: HandoffBuilder) => b.withReplyTimeout(400 * 24 * 60 * 60 * 1000)],
    ['withContinueAsNewEvery', (b: HandoffBuilder) => b.withContinueAsNewEvery(0)],
  ])('rejects a bad number given to %s', (option, call) => {
    expect(buildError(() => call(base())).message).toMatch(new RegExp(`^${option}`));
  });

  it('rejects a termination condition that is not a function', () => {
    expect(
      buildError(() => base().withTerminationCondition('stop' as unknown as () => boolean)).message,
    ).toMatch(/needs a function/);
  });

  it('rejects an async termination condition at build() and says why', () => {
    const builder = base().withTerminationCondition((async () =>
      Promise.resolve(true)) as unknown as () => boolean);
    expect(buildError(() => builder.build()).message).toMatch(/async function.*cannot await a Promise/);
  });

  it('rejects autonomous settings that name an agent that is not a participant', () => {
    expect(
      buildError(() =>
        base()
          .withAutonomousMode({ agents: ['admin_agent'] })
          .build(),
      ).message,
    ).toMatch(/agents names 'admin_agent', which is not a participant/);
    expect(
      buildError(() =>
        base()
          .withAutonomousMode({ turnLimits: { nobody: 3 } })
          .build(),
      ).message,
    ).toMatch(/turnLimits names 'nobody'/);
    expect(
      buildError(() =>
        base()
          .withAutonomousMode({ prompts: { nobody: 'Go on.' } })
          .build(),
      ).message,
    ).toMatch(/prompts names 'nobody'/);
  });

  it('rejects a bad autonomous turn limit or an empty prompt', () => {
    expect(buildError(() => base().withAutonomousMode({ turnLimits: 0 }).build()).message).toMatch(
      /turn limit for 'coordinator_agent' must be a positive integer, got 0/,
    );
    expect(
      buildError(() =>
        base()
          .withAutonomousMode({ prompts: { refund_agent: ' ' } })
          .build(),
      ).message,
    ).toMatch(/prompt for 'refund_agent' must be a non-empty string/);
  });

  it('fails build() when an own tool collides with a generated handoff tool', () => {
    const colliding: FunctionTool = {
      ...tool({ name: 'placeholder', description: 'x', parameters: z.object({}), execute: () => 'x' }),
      name: 'handoff_to_refund_agent',
    };
    const shippingWithTool = agent({ name: 'shipping_agent', instructions: 'Ship.', tools: [colliding] });
    const error = buildError(() =>
      new HandoffBuilder({ name: 'w' })
        .participants([refund, shippingWithTool])
        .withStartAgent(coordinator)
        .build(),
    );
    expect(error.message).toBe(
      "Agent 'shipping_agent': its tool 'handoff_to_refund_agent' collides with the generated handoff tool of the same name. Rename the tool.",
    );
  });
});

describe('HandoffBuilder validation of the less common mistakes', () => {
  it('rejects a workflow description that is not a string', () => {
    expect(
      buildError(() => new HandoffBuilder({ name: 'w', description: 42 as unknown as string })).message,
    ).toBe("Workflow 'w': description must be a string when given.");
  });

  it('rejects an empty edge description', () => {
    expect(buildError(() => base().addHandoff(shipping, refund, { description: ' ' })).message).toMatch(
      /from 'shipping_agent': description must be a non-empty string when given/,
    );
  });

  it('rejects autonomous options that are not an object, or an empty agent list', () => {
    expect(
      buildError(() => base().withAutonomousMode(null as unknown as Record<string, never>)).message,
    ).toMatch(/withAutonomousMode takes an object/);
    expect(buildError(() => base().withAutonomousMode({ agents: [] }).build()).message).toMatch(
      /agents is empty; omit it to let every agent continue autonomously/,
    );
  });

  it('rejects an own tool using the reserved handoff prefix even when no handoff tool has that name', () => {
    const reserved: FunctionTool = {
      ...tool({ name: 'placeholder', description: 'x', parameters: z.object({}), execute: () => 'x' }),
      name: 'handoff_to_nobody',
    };
    const refundWithTool = agent({ name: 'refund_agent', instructions: 'Refund.', tools: [reserved] });
    expect(
      buildError(() =>
        new HandoffBuilder({ name: 'w' }).participants([refundWithTool]).withStartAgent(coordinator).build(),
      ).message,
    ).toMatch(/tool name 'handoff_to_nobody' starts with the reserved prefix 'handoff_to_'/);
  });
});

describe('HandoffBuilder results', () => {
  it('lets the start agent join the participants when it is not listed, first in order', () => {
    const workflow = base().build();
    expect(workflow.agentNames).toEqual(['coordinator_agent', 'refund_agent', 'shipping_agent']);
    expect(workflow.startAgent).toBe('coordinator_agent');
  });

  it('builds the same workflow whatever the order of the calls', () => {
    const a = new HandoffBuilder({ name: 'w' })
      .setCoordinator(coordinator)
      .addHandoff(shipping, refund)
      .participants([refund, shipping])
      .withMaxTurns(7)
      .build();
    const b = new HandoffBuilder({ name: 'w' })
      .withMaxTurns(7)
      .participants([refund, shipping])
      .addHandoff(shipping, refund)
      .withStartAgent(coordinator)
      .build();
    expect(a.describe()).toEqual(b.describe());
    expect(a.version).toBe(b.version);
  });

  it('defaults to human_in_loop, 100 turns, a 24 h reply timeout, continue-as-new every 10 turns and handoff_only filtering', () => {
    const workflow = base().build();
    expect(workflow.interactionMode).toBe('human_in_loop');
    expect(workflow.maxTurns).toBe(100);
    expect(workflow.replyTimeoutMs).toBe(24 * 60 * 60 * 1000);
    expect(workflow.continueAsNewEvery).toBe(10);
    expect(workflow.toolCallFiltering).toBe('handoff_only');
    expect(workflow.terminationCondition).toBeUndefined();
  });

  it("accepts 'interactive' as the article's name for human_in_loop", () => {
    expect(base().withInteractionMode('interactive').build().interactionMode).toBe('human_in_loop');
  });

  it('turns autonomous mode on with withAutonomousMode unless the mode is set explicitly', () => {
    expect(base().withAutonomousMode().build().interactionMode).toBe('autonomous');
    expect(base().withAutonomousMode().withInteractionMode('human_in_loop').build().interactionMode).toBe(
      'human_in_loop',
    );
  });

  it('gives every agent the default autonomous prompt and a limit of 50, overridable per agent', () => {
    const workflow = base()
      .withAutonomousMode({
        agents: [refund],
        prompts: { refund_agent: 'Keep going.' },
        turnLimits: { refund_agent: 3 },
      })
      .build();
    expect(workflow.autonomousSettingsFor('refund_agent')).toEqual({
      enabled: true,
      prompt: 'Keep going.',
      turnLimit: 3,
    });
    expect(workflow.autonomousSettingsFor('shipping_agent')).toEqual({
      enabled: false,
      prompt: 'User did not respond. Continue assisting autonomously.',
      turnLimit: 50,
    });
    expect(
      base().withAutonomousMode({ turnLimits: 4 }).build().autonomousSettingsFor('shipping_agent'),
    ).toEqual({
      enabled: true,
      prompt: 'User did not respond. Continue assisting autonomously.',
      turnLimit: 4,
    });
  });

  it('can build several workflows from one builder', () => {
    const builder = base();
    expect(builder.build().version).toBe(builder.build().version);
  });
});
