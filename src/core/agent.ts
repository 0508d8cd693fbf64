/**
 * Participants of a handoff workflow:
 * `agent({ name, instructions, description?, displayName?, model?, tools?, mcp? })`.
 */
import { z } from 'zod';
import { WorkflowDefinitionError } from './errors';
import { HANDOFF_TOOL_PREFIX, TOOL_NAME_PATTERN, agentNameProblem } from './names';
import type { FunctionTool } from './tool';
import { mcpServerSchema, type McpServer, type McpServerOptions } from './mcp-server';

/** A validated, frozen participant definition. Create one with {@link agent}. */
export interface AgentDefinition {
  /** Unique in a workflow; also the agent's executor id and the suffix of its handoff tool. */
  readonly name: string;
  /** The system instructions sent on every call of this agent. */
  readonly instructions: string;
  /** What the agent does; the default description of the handoff tool that leads to it. */
  readonly description?: string;
  /**
   * The agent's name as people read it (the chat page's bubbles and notes: "Refund desk"). Not sent
   * to the model and not part of the definition's version. Default: the name made readable
   * ("refund_agent" reads "Refund agent").
   */
  readonly displayName?: string;
  /** A model or deployment name overriding the client's default for this agent. */
  readonly model?: string;
  /** The agent's own function tools (see `tool()`). */
  readonly tools: readonly FunctionTool[];
  /** MCP servers whose tools the agent also gets, listed at turn time. */
  readonly mcp: readonly McpServer[];
}

/** What {@link agent} takes. */
export interface AgentOptions {
  name: string;
  instructions: string;
  description?: string;
  /** The agent's name as people read it; see {@link AgentDefinition.displayName}. */
  displayName?: string;
  model?: string;
  tools?: readonly FunctionTool[];
  /** MCP servers (streamable HTTP) whose tools the agent also gets; see {@link McpServerOptions}. */
  mcp?: readonly McpServerOptions[];
}

const ALLOWED_KEYS = ['name', 'instructions', 'description', 'displayName', 'model', 'tools', 'mcp'];

/** Room for a readable name in a chat bubble's header. */
const MAX_DISPLAY_NAME = 60;
const NOT_A_TOOL = 'create tools with tool({ name, description, parameters, execute })';

/** What `tool()` returns, as far as an agent checks it. The handoff prefix is checked at `build()`. */
const ToolShape = z.looseObject({
  kind: z.literal('function_tool'),
  name: z.string().regex(TOOL_NAME_PATTERN),
  description: z.string(),
  execute: z.custom<FunctionTool['execute']>((value) => typeof value === 'function'),
  jsonSchema: z.record(z.string(), z.unknown()),
  parameters: z.custom((value) => value !== undefined),
});

/** The options of agent `name`, each rule with the message that says how to fix it. */
function optionsSchema(name: string) {
  const nonEmpty = (message: string) =>
    z.string({ error: message }).refine((text) => text.trim() !== '', { error: message });
  const tool = (candidate: unknown, index: number, ctx: z.RefinementCtx): void => {
    const where = `Agent '${name}': tools[${index}]`;
    const toolName = (candidate as { name?: unknown } | null)?.name;
    const checked = ToolShape.safeParse(candidate);
    if (checked.success) return;
    let message = `${where} is not a tool; ${NOT_A_TOOL}.`;
    if (typeof candidate === 'object' && candidate !== null) {
      message =
        typeof toolName === 'string' && TOOL_NAME_PATTERN.test(toolName)
          ? `${where} ('${toolName}') is not a tool; ${NOT_A_TOOL}.`
          : `${where} has the invalid name ${JSON.stringify(toolName)}: use 1-64 letters, digits, '_' or '-'.`;
    }
    ctx.addIssue({ code: 'custom', message });
  };
  return z.strictObject(
    {
      name: z.string(),
      instructions: nonEmpty(
        `Agent '${name}' needs instructions: a non-empty string sent as its system message.`,
      ),
      description: nonEmpty(`Agent '${name}': description must be a non-empty string when given.`).optional(),
      displayName: nonEmpty(`Agent '${name}': displayName must be a non-empty string when given.`)
        .refine((text) => text.trim().length <= MAX_DISPLAY_NAME && !/[\p{Cc}]/u.test(text), {
          error: `Agent '${name}': displayName must be one line of at most ${MAX_DISPLAY_NAME} characters.`,
        })
        .optional(),
      model: nonEmpty(
        `Agent '${name}': model must be a non-empty model or deployment name when given.`,
      ).optional(),
      tools: z
        .array(z.unknown(), { error: `Agent '${name}': tools must be an array of tool() definitions.` })
        .superRefine((tools, ctx) => tools.forEach((candidate, index) => tool(candidate, index, ctx)))
        .superRefine((tools, ctx) => {
          const names = tools.map((candidate) => (candidate as FunctionTool).name);
          const twice = names.find((toolName, index) => names.indexOf(toolName) !== index);
          if (twice !== undefined) {
            ctx.addIssue({
              code: 'custom',
              message: `Agent '${name}' has two tools named '${twice}'; tool names must be unique per agent.`,
            });
          }
        })
        .optional(),
      mcp: z
        .array(z.unknown(), { error: `Agent '${name}': mcp must be a list of { name, url } servers.` })
        .superRefine((servers, ctx) => {
          servers.forEach((server, index) => {
            const checked = mcpServerSchema(`Agent '${name}': mcp[${index}]`).safeParse(server);
            if (!checked.success) ctx.addIssue({ code: 'custom', message: checked.error.issues[0]!.message });
          });
          const names = servers.map((server) => (server as { name?: unknown } | null)?.name);
          const twice = names.find((serverName, index) => names.indexOf(serverName) !== index);
          if (twice !== undefined) {
            ctx.addIssue({
              code: 'custom',
              message: `Agent '${name}' has two MCP servers named ${JSON.stringify(twice)}; names must be unique per agent.`,
            });
          }
        })
        .optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `Agent '${name}' has unknown option(s) ${issue.keys.join(', ')}. Allowed options: ${ALLOWED_KEYS.join(', ')}.`
          : undefined,
    },
  );
}

/**
 * Defines a participant of a handoff workflow. Everything is checked now: a name that cannot be part
 * of a tool name, missing instructions, unknown options or two tools with one name fail with a
 * {@link WorkflowDefinitionError} that says why.
 *
 * @example
 * const refundAgent = agent({
 *   name: 'refund_agent',
 *   displayName: 'Refund desk',
 *   description: 'Handles refund requests.',
 *   instructions: 'You handle refund requests. Ask for order details and process refunds.',
 * });
 */
export function agent(options: AgentOptions): AgentDefinition {
  if (typeof options !== 'object' || options === null) {
    throw new WorkflowDefinitionError(
      'agent() takes an object: { name, instructions, description?, displayName?, model?, tools?, mcp? }.',
    );
  }
  const nameProblem = agentNameProblem(options.name);
  if (nameProblem !== undefined) throw new WorkflowDefinitionError(nameProblem);
  const parsed = optionsSchema(options.name).safeParse(options);
  if (!parsed.success) {
    // Unknown options first: a misspelt key explains the other complaints.
    const issues = parsed.error.issues;
    const first = issues.find((issue) => issue.code === 'unrecognized_keys') ?? issues[0];
    throw new WorkflowDefinitionError(first?.message ?? `Agent '${options.name}' is invalid.`);
  }
  const { name, instructions, description, displayName, model } = parsed.data;
  return Object.freeze({
    name,
    instructions,
    ...(description !== undefined ? { description } : {}),
    ...(displayName !== undefined ? { displayName: displayName.trim() } : {}),
    ...(model !== undefined ? { model } : {}),
    tools: Object.freeze([...(options.tools ?? [])]),
    mcp: Object.freeze(
      (options.mcp ?? []).map((server) =>
        Object.freeze({
          ...server,
          ...(server.allowedTools ? { allowedTools: Object.freeze([...server.allowedTools]) } : {}),
          ...(Array.isArray(server.requireApproval)
            ? { requireApproval: Object.freeze([...(server.requireApproval as readonly string[])]) }
            : {}),
        }),
      ),
    ),
  });
}

/** True when an agent's own tool uses the reserved handoff prefix (checked by `build()`). */
export function usesHandoffPrefix(t: FunctionTool): boolean {
  return t.name.startsWith(HANDOFF_TOOL_PREFIX);
}
