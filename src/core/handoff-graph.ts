/**
 * The handoff graph: who may hand off to whom.
 *
 * Rules, in order:
 * 1. No `addHandoff` at all: every agent may hand off to every other (mesh).
 * 2. Edges declared: each agent gets exactly its declared targets, in declaration order...
 * 3. ...except the start agent when it has no declared edge: it may hand off to every other participant
 *    (the Agent Framework article's "advanced" example relies on this).
 * An agent with no targets is allowed: specialists usually just answer.
 */
import { defaultHandoffDescription, type HandoffTarget, handoffToolName } from './handoff-tools';

/** A declared, directed edge. */
export interface HandoffEdge {
  readonly source: string;
  readonly target: string;
  readonly description?: string;
}

/** What the graph needs to know of each participant. */
export interface GraphParticipant {
  readonly name: string;
  readonly description?: string;
}

/**
 * The allowed targets of each participant, in a stable order (participant order for implied edges,
 * declaration order for declared ones). Edges are assumed validated (known agents, no self-edges).
 */
export function resolveHandoffGraph(
  participants: readonly GraphParticipant[],
  startAgent: string,
  declared: readonly HandoffEdge[],
): Map<string, readonly HandoffTarget[]> {
  const descriptions = new Map(participants.map((p) => [p.name, p.description]));
  const toTarget = (target: string, edgeDescription?: string): HandoffTarget =>
    Object.freeze({
      target,
      toolName: handoffToolName(target),
      description: edgeDescription ?? descriptions.get(target) ?? defaultHandoffDescription(target),
    });
  const everyOther = (source: string): readonly HandoffTarget[] =>
    Object.freeze(participants.filter((p) => p.name !== source).map((p) => toTarget(p.name)));

  const graph = new Map<string, readonly HandoffTarget[]>();
  for (const { name } of participants) {
    if (declared.length === 0) {
      graph.set(name, everyOther(name));
      continue;
    }
    const own = declared.filter((edge) => edge.source === name);
    if (own.length === 0 && name === startAgent) graph.set(name, everyOther(name));
    else graph.set(name, Object.freeze(own.map((edge) => toTarget(edge.target, edge.description))));
  }
  return graph;
}
