/**
 * Agents' names as the page shows them: the `displayName` a workflow definition gives an agent, else
 * its id made readable ("shipping_agent" reads "Shipping agent").
 */
import type { WorkflowDescription } from 'durable-handoff/client';

/** The readable name of an agent id. */
export type AgentLabel = (agent: string) => string;

/** "shipping_agent", "shipping-agent" and "shippingAgent" read "Shipping agent". */
export function humanizeAgentName(agent: string): string {
  const words = agent
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter((word) => word !== '');
  if (words.length === 0) return agent;
  const text = words.map((word) => (/^[A-Z0-9]+$/.test(word) ? word : word.toLowerCase())).join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The labels of `workflow`'s agents (a humanized id for an agent it does not name, or none known). */
export function agentLabels(workflow: WorkflowDescription | undefined): AgentLabel {
  const named = new Map(
    (workflow?.participants ?? []).flatMap((participant) =>
      participant.displayName ? [[participant.name, participant.displayName] as const] : [],
    ),
  );
  return (agent) => named.get(agent) ?? humanizeAgentName(agent);
}
