import { z } from 'zod';
import { agent } from '../../src/core/agent';
import { HandoffBuilder } from '../../src/workflows/handoff-builder';
import { agentToolSpecs } from '../../src/core/agent-view';
import { HANDOFF_TOOL_PARAMETERS } from '../../src/core/handoff-tools';
import { tool } from '../../src/core/tool';
import { coordinator, refund, seniorTechnical, shipping, technical } from './support-agents';

const targetsOf = (workflow: ReturnType<HandoffBuilder['build']>, name: string): string[] =>
  workflow.handoffTargets(name).map((t) => t.target);

describe('the handoff graph', () => {
  it('lets every agent hand off to every other when no addHandoff is declared (mesh)', () => {
    const workflow = new HandoffBuilder({ name: 'mesh' })
      .participants([coordinator, refund, shipping])
      .withStartAgent(coordinator)
      .build();
    expect(targetsOf(workflow, 'coordinator_agent')).toEqual(['refund_agent', 'shipping_agent']);
    expect(targetsOf(workflow, 'refund_agent')).toEqual(['coordinator_agent', 'shipping_agent']);
    expect(targetsOf(workflow, 'shipping_agent')).toEqual(['coordinator_agent', 'refund_agent']);
  });

  it('gives each agent exactly its declared targets once edges are declared, merging repeated calls', () => {
    const workflow = new HandoffBuilder({ name: 'declared' })
      .participants([coordinator, refund, shipping, technical])
      .withStartAgent(coordinator)
      .addHandoff(coordinator, refund)
      .addHandoff(shipping, refund)
      .addHandoff(coordinator, [shipping, refund])
      .build();
    expect(targetsOf(workflow, 'coordinator_agent')).toEqual(['refund_agent', 'shipping_agent']);
    expect(targetsOf(workflow, 'shipping_agent')).toEqual(['refund_agent']);
    expect(targetsOf(workflow, 'refund_agent')).toEqual([]);
    expect(targetsOf(workflow, 'technical_agent')).toEqual([]);
  });

  it("lets a start agent without declared edges hand off to every other participant (the article's advanced example)", () => {
    const workflow = new HandoffBuilder({ name: 'support' })
      .setCoordinator(coordinator)
      .participants([refund, shipping, technical, seniorTechnical])
      .addHandoff(refund, technical)
      .addHandoff(shipping, refund)
      .addHandoff(technical, seniorTechnical)
      .build();
    expect(targetsOf(workflow, 'coordinator_agent')).toEqual([
      'refund_agent',
      'shipping_agent',
      'technical_agent',
      'senior_technical_agent',
    ]);
    expect(targetsOf(workflow, 'refund_agent')).toEqual(['technical_agent']);
    expect(targetsOf(workflow, 'senior_technical_agent')).toEqual([]);
    expect(workflow.edges).toHaveLength(7);
  });
});

describe('handoff tools', () => {
  const lookupOrder = tool({
    name: 'lookup_order',
    description: 'Look up an order by number.',
    parameters: z.object({ orderId: z.string() }),
    execute: ({ orderId }) => ({ orderId, status: 'in_transit' }),
  });
  const shippingWithTool = agent({ ...shipping, tools: [lookupOrder] });
  const workflow = new HandoffBuilder({ name: 'tools' })
    .participants([refund, shippingWithTool, technical])
    .withStartAgent(coordinator)
    .addHandoff(shippingWithTool, refund, { description: 'The customer wants their money back.' })
    .addHandoff(shippingWithTool, technical)
    .build();

  it('names each tool handoff_to_<target>', () => {
    expect(workflow.handoffTargets('coordinator_agent').map((t) => t.toolName)).toEqual([
      'handoff_to_refund_agent',
      'handoff_to_shipping_agent',
      'handoff_to_technical_agent',
    ]);
  });

  it("describes a tool by the edge's description, else the target's description, else a default sentence", () => {
    const [toRefund, toTechnical] = workflow.handoffTargets('shipping_agent');
    expect(toRefund?.description).toBe('The customer wants their money back.');
    expect(toTechnical?.description).toBe('Hand off the conversation to the technical_agent agent.');
    const fromCoordinator = workflow.handoffTargets('coordinator_agent');
    expect(fromCoordinator[0]?.description).toBe('Handles refund requests.');
  });

  it("offers handoff tools before the agent's own tools, with an optional reason parameter only", () => {
    const specs = agentToolSpecs(workflow, 'shipping_agent');
    expect(specs.map((s) => s.name)).toEqual([
      'handoff_to_refund_agent',
      'handoff_to_technical_agent',
      'lookup_order',
    ]);
    expect(specs[0]?.parameters).toEqual(HANDOFF_TOOL_PARAMETERS);
    expect(specs[0]?.parameters).toEqual({
      type: 'object',
      properties: {
        reason: { type: 'string', description: 'Optional: why the conversation is handed off.' },
      },
      additionalProperties: false,
    });
    expect(specs[2]).toEqual({
      name: 'lookup_order',
      description: 'Look up an order by number.',
      parameters: {
        type: 'object',
        properties: { orderId: { type: 'string' } },
        required: ['orderId'],
      },
    });
  });
});
