/**
 * Participants of a handoff workflow: `agent({ name, instructions, description?, model?, tools? })`.
 */
import { WorkflowDefinitionError } from './errors';
import { HANDOFF_TOOL_PREFIX, TOOL_NAME_PATTERN, agentNameProblem } from './names';
import type { FunctionTool } from './tool';

/** A validated, frozen participant definition. Create one with {@link agent}. */
export interface AgentDefinition {
  /** Unique in a workflow; also the agent's executor id and the suffix of its handoff tool. */
  readonly name: string;
  /** The system instructions sent on every call of this agent. */
  readonly instructions: string;
  /** What the agent does; the default description of the handoff tool that leads to it. */
  readonly description?: string;
  /** A model or deployment name overriding the client's default for this agent. */
  readonly model?: string;
  /** The agent's own function tools (see `tool()`). */
  readonly tools: readonly FunctionTool[];
}

/** What {@link agent} takes. */
export interface AgentOptions {
  name: string;
  instructions: string;
  description?: string;
  model?: string;
  tools?: readonly FunctionTool[];
}

const ALLOWED_KEYS = ['name', 'instructions', 'description', 'model', 'tools'];

function checkTool(agentName: string, candidate: unknown, index: number): FunctionTool {
  const where = `Agent '${agentName}': tools[${index}]`;
  if (typeof candidate !== 'object' || candidate === null) {
    throw new WorkflowDefinitionError(
      `${where} is not a tool; create tools with tool({ name, description, parameters, execute }).`,
    );
  }
  const t = candidate as Partial<FunctionTool>;
  // The handoff prefix is checked at build(), where the collision with a real handoff tool can be named.
  if (typeof t.name !== 'string' || !TOOL_NAME_PATTERN.test(t.name)) {
    throw new WorkflowDefinitionError(
      `${where} has the invalid name ${JSON.stringify(t.name)}: use 1-64 letters, digits, '_' or '-'.`,
    );
  }
  if (
    t.kind !== 'function_tool' ||
    typeof t.description !== 'string' ||
    typeof t.execute !== 'function' ||
    typeof t.jsonSchema !== 'object' ||
    t.jsonSchema === null ||
    t.parameters === undefined
  ) {
    throw new WorkflowDefinitionError(
      `${where} ('${t.name}') is not a tool; create tools with tool({ name, description, parameters, execute }).`,
    );
  }
  return candidate as FunctionTool;
}

/**
 * Defines a participant of a handoff workflow. Everything is checked now: a name that cannot be part
 * of a tool name, missing instructions, unknown options or two tools with one name fail with a
 * {@link WorkflowDefinitionError} that says why.
 *
 * @example
 * const refundAgent = agent({
 *   name: 'refund_agent',
 *   description: 'Handles refund requests.',
 *   instructions: 'You handle refund requests. Ask for order details and process refunds.',
 * });
 */
export function agent(options: AgentOptions): AgentDefinition {
  if (typeof options !== 'object' || options === null) {
    throw new WorkflowDefinitionError(
      'agent() takes an object: { name, instructions, description?, model?, tools? }.',
    );
  }
  const nameProblem = agentNameProblem(options.name);
  if (nameProblem !== undefined) throw new WorkflowDefinitionError(nameProblem);
  const name = options.name;
  const unknownKeys = Object.keys(options).filter((key) => !ALLOWED_KEYS.includes(key));
  if (unknownKeys.length > 0) {
    throw new WorkflowDefinitionError(
      `Agent '${name}' has unknown option(s) ${unknownKeys.join(', ')}. Allowed options: ${ALLOWED_KEYS.join(', ')}.`,
    );
  }
  if (typeof options.instructions !== 'string' || options.instructions.trim() === '') {
    throw new WorkflowDefinitionError(
      `Agent '${name}' needs instructions: a non-empty string sent as its system message.`,
    );
  }
  if (
    options.description !== undefined &&
    (typeof options.description !== 'string' || options.description.trim() === '')
  ) {
    throw new WorkflowDefinitionError(`Agent '${name}': description must be a non-empty string when given.`);
  }
  if (options.model !== undefined && (typeof options.model !== 'string' || options.model.trim() === '')) {
    throw new WorkflowDefinitionError(
      `Agent '${name}': model must be a non-empty model or deployment name when given.`,
    );
  }
  const rawTools: unknown = options.tools ?? [];
  if (!Array.isArray(rawTools)) {
    throw new WorkflowDefinitionError(`Agent '${name}': tools must be an array of tool() definitions.`);
  }
  const tools = rawTools.map((candidate: unknown, index) => checkTool(name, candidate, index));
  const seen = new Set<string>();
  for (const t of tools) {
    if (seen.has(t.name)) {
      throw new WorkflowDefinitionError(
        `Agent '${name}' has two tools named '${t.name}'; tool names must be unique per agent.`,
      );
    }
    seen.add(t.name);
  }
  return Object.freeze({
    name,
    instructions: options.instructions,
    ...(options.description !== undefined ? { description: options.description } : {}),
    ...(options.model !== undefined ? { model: options.model } : {}),
    tools: Object.freeze(tools),
  });
}

/** True when an agent's own tool uses the reserved handoff prefix (checked by `build()`). */
export function usesHandoffPrefix(t: FunctionTool): boolean {
  return t.name.startsWith(HANDOFF_TOOL_PREFIX);
}
