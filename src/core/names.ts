/**
 * Name rules for agents, tools and workflows.
 *
 * Agent names become part of tool names (`handoff_to_<agent>`), and providers accept tool names of
 * at most 64 characters from `[A-Za-z0-9_-]`. `handoff_to_` is 11 characters, so agent names get 48,
 * which leaves room and keeps every generated name valid without sanitizing (sanitizing would let
 * two agents map to one tool name).
 */

/** Prefix of every generated handoff tool name. */
export const HANDOFF_TOOL_PREFIX = 'handoff_to_';

/** Allowed agent names: 1-48 letters, digits, `_` or `-`. */
export const AGENT_NAME_PATTERN = /^[A-Za-z0-9_-]{1,48}$/;

/** Allowed tool names: 1-64 letters, digits, `_` or `-` (what OpenAI-compatible providers accept). */
export const TOOL_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Allowed workflow names: 1-64 letters, digits, `_` or `-` (they appear in URLs and instance ids). */
export const WORKFLOW_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Why `name` is not a valid agent name, or undefined when it is. */
export function agentNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return `Agent name must be a string, got ${typeof name}.`;
  if (AGENT_NAME_PATTERN.test(name)) return undefined;
  return (
    `Agent name ${JSON.stringify(name)} is invalid: use 1-48 letters, digits, '_' or '-' ` +
    `(the name becomes part of the tool name '${HANDOFF_TOOL_PREFIX}<name>', which providers limit to 64 such characters).`
  );
}

/** Why `name` is not a valid name for an agent-owned tool, or undefined when it is. */
export function toolNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return `Tool name must be a string, got ${typeof name}.`;
  if (!TOOL_NAME_PATTERN.test(name)) {
    return `Tool name ${JSON.stringify(name)} is invalid: use 1-64 letters, digits, '_' or '-' (what model providers accept).`;
  }
  if (name.startsWith(HANDOFF_TOOL_PREFIX)) {
    return `Tool name ${JSON.stringify(name)} is reserved: names starting with '${HANDOFF_TOOL_PREFIX}' are the generated handoff tools. Rename the tool.`;
  }
  return undefined;
}

/** Why `name` is not a valid workflow name, or undefined when it is. */
export function workflowNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return `Workflow name must be a string, got ${typeof name}.`;
  if (WORKFLOW_NAME_PATTERN.test(name)) return undefined;
  return `Workflow name ${JSON.stringify(name)} is invalid: use 1-64 letters, digits, '_' or '-' (it appears in URLs).`;
}
