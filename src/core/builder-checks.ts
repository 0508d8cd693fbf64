/**
 * Checks and resolutions `HandoffBuilder` runs: each one throws a {@link WorkflowDefinitionError} that
 * names the bad value and what is allowed.
 */
import { type AgentDefinition, agent, usesHandoffPrefix } from './agent';
import { DEFAULT_AUTONOMOUS_PROMPT, DEFAULT_AUTONOMOUS_TURN_LIMIT } from './defaults';
import { WorkflowDefinitionError } from './errors';
import type { HandoffTarget } from './handoff-tools';
import { canonicalJson } from './json';
import { describeApprovalRule } from './tool';
import { describeMcpServer } from './mcp-server';
import { type AutonomousModeOptions, type AutonomousSettings, positiveIntegerOption } from './options';

/** Re-validates something passed as an agent (it may not come from `agent()` when called from JS). */
export function checkAgent(value: unknown, where: string): AgentDefinition {
  if (typeof value !== 'object' || value === null) {
    throw new WorkflowDefinitionError(
      `${where}: expected an agent created with agent({ name, instructions }), got ${JSON.stringify(value) ?? typeof value}.`,
    );
  }
  const a = value as Partial<AgentDefinition>;
  return agent({
    name: a.name as string,
    instructions: a.instructions as string,
    ...(a.description !== undefined ? { description: a.description } : {}),
    ...(a.displayName !== undefined ? { displayName: a.displayName } : {}),
    ...(a.model !== undefined ? { model: a.model } : {}),
    ...(a.tools !== undefined ? { tools: a.tools } : {}),
    ...(a.mcp !== undefined && a.mcp.length > 0 ? { mcp: a.mcp } : {}),
  });
}

function fingerprint(a: AgentDefinition): string {
  return canonicalJson({
    name: a.name,
    instructions: a.instructions,
    description: a.description,
    displayName: a.displayName,
    model: a.model,
    tools: a.tools.map((t) => ({
      name: t.name,
      description: t.description,
      parameters: t.jsonSchema,
      needsApproval: describeApprovalRule(t),
    })),
    mcp: a.mcp.length > 0 ? a.mcp.map(describeMcpServer) : undefined,
  });
}

/** Same agent, or an equal definition (e.g. rebuilt by `checkAgent`). */
export function sameAgent(a: AgentDefinition, b: AgentDefinition): boolean {
  return a === b || fingerprint(a) === fingerprint(b);
}

/** The participant list with the start agent joined in front when it is not listed. */
export function joinStartAgent(
  participants: readonly AgentDefinition[],
  start: AgentDefinition,
): AgentDefinition[] {
  const listed = participants.find((p) => p.name === start.name);
  if (listed === undefined) return [start, ...participants];
  if (!sameAgent(listed, start)) {
    throw new WorkflowDefinitionError(
      `The start agent '${start.name}' differs from the participant of the same name; pass the same agent to withStartAgent() and participants().`,
    );
  }
  return [...participants];
}

/** The participant named like `candidate`, checked to be the same definition. */
export function participantFor(
  participants: readonly AgentDefinition[],
  candidate: AgentDefinition,
  where: string,
): AgentDefinition {
  const found = participants.find((p) => p.name === candidate.name);
  if (found === undefined) {
    throw new WorkflowDefinitionError(
      `${where}: '${candidate.name}' is not a participant. Participants: ${participants.map((p) => p.name).join(', ')}.`,
    );
  }
  if (!sameAgent(found, candidate)) {
    throw new WorkflowDefinitionError(
      `${where}: '${candidate.name}' differs from the participant of the same name; use one agent definition per name.`,
    );
  }
  return found;
}

/** Own tools may not use the `handoff_to_` prefix: that name space belongs to the generated handoff tools. */
export function checkToolCollisions(
  agents: readonly AgentDefinition[],
  graph: ReadonlyMap<string, readonly HandoffTarget[]>,
): void {
  for (const a of agents) {
    const handoffNames = new Set((graph.get(a.name) ?? []).map((t) => t.toolName));
    for (const t of a.tools) {
      if (handoffNames.has(t.name)) {
        throw new WorkflowDefinitionError(
          `Agent '${a.name}': its tool '${t.name}' collides with the generated handoff tool of the same name. Rename the tool.`,
        );
      }
      if (usesHandoffPrefix(t)) {
        throw new WorkflowDefinitionError(
          `Agent '${a.name}': tool name '${t.name}' starts with the reserved prefix 'handoff_to_' (used by the generated handoff tools). Rename the tool.`,
        );
      }
    }
  }
}

function checkNames(what: string, names: readonly string[], participants: ReadonlySet<string>): void {
  for (const name of names) {
    if (!participants.has(name)) {
      throw new WorkflowDefinitionError(
        `withAutonomousMode: ${what} names '${name}', which is not a participant. Participants: ${[...participants].join(', ')}.`,
      );
    }
  }
}

/** Autonomous settings of every participant, with the Agent Framework's defaults. */
export function resolveAutonomous(
  agents: readonly AgentDefinition[],
  options: AutonomousModeOptions | undefined,
): Map<string, AutonomousSettings> {
  const participants = new Set(agents.map((a) => a.name));
  const enabledNames = options?.agents?.map((a) => (typeof a === 'string' ? a : a.name));
  if (enabledNames !== undefined) {
    if (enabledNames.length === 0) {
      throw new WorkflowDefinitionError(
        'withAutonomousMode: agents is empty; omit it to let every agent continue autonomously.',
      );
    }
    checkNames('agents', enabledNames, participants);
  }
  const prompts = options?.prompts;
  const limits = options?.turnLimits;
  if (typeof prompts === 'object') checkNames('prompts', Object.keys(prompts), participants);
  if (typeof limits === 'object') checkNames('turnLimits', Object.keys(limits), participants);

  const settings = new Map<string, AutonomousSettings>();
  for (const { name } of agents) {
    const prompt = (typeof prompts === 'object' ? prompts[name] : prompts) ?? DEFAULT_AUTONOMOUS_PROMPT;
    if (typeof prompt !== 'string' || prompt.trim() === '') {
      throw new WorkflowDefinitionError(
        `withAutonomousMode: the prompt for '${name}' must be a non-empty string, got ${JSON.stringify(prompt)}.`,
      );
    }
    const limit = (typeof limits === 'object' ? limits[name] : limits) ?? DEFAULT_AUTONOMOUS_TURN_LIMIT;
    settings.set(name, {
      enabled: enabledNames === undefined || enabledNames.includes(name),
      prompt,
      turnLimit: positiveIntegerOption(`withAutonomousMode: the turn limit for '${name}'`, limit),
    });
  }
  return settings;
}
