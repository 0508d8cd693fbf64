import type { WorkflowDescription } from '../../src/core/run-plan';
import { agentLabels, humanizeAgentName } from '../../web/src/agent-labels';
import { progressText } from '../../web/src/event-text';

describe('humanizeAgentName', () => {
  it.each([
    ['shipping_agent', 'Shipping agent'],
    ['senior-technical-agent', 'Senior technical agent'],
    ['refundAgent', 'Refund agent'],
    ['triage', 'Triage'],
    ['VIP_desk', 'VIP desk'],
    ['agent_2', 'Agent 2'],
    ['___', '___'],
  ])('reads %j as %j', (id, label) => {
    expect(humanizeAgentName(id)).toBe(label);
  });
});

describe('agentLabels', () => {
  const workflow: WorkflowDescription = {
    name: 'customer_support',
    participants: [
      { name: 'coordinator_agent' },
      { name: 'refund_agent', displayName: 'Refund desk', description: 'Refunds.' },
    ],
    startAgent: 'coordinator_agent',
    edges: [],
    interactionMode: 'human_in_loop',
    version: 'v',
  };

  it("uses an agent's display name, and a readable id for an agent without one or unknown to the workflow", () => {
    const label = agentLabels(workflow);
    expect(label('refund_agent')).toBe('Refund desk');
    expect(label('coordinator_agent')).toBe('Coordinator agent');
    expect(label('shipping_agent')).toBe('Shipping agent');
    expect(agentLabels(undefined)('refund_agent')).toBe('Refund agent');
  });

  it('names agents in the progress line by their labels', () => {
    const event = {
      type: 'handoff_sent' as const,
      seq: 7,
      timestamp: '2026-11-24T09:00:00.000Z',
      source: 'coordinator_agent',
      target: 'refund_agent',
    };
    expect(progressText(event, agentLabels(workflow))).toBe('Handed off: Coordinator agent → Refund desk');
  });
});
