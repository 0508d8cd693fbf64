/**
 * An agent's tools for one turn: its own, and those its MCP servers list. Lists are fetched at turn
 * time and kept for a while (per server), so a server's new tools show up without a redeploy and a
 * turn does not pay a listing per model call. A server that cannot list its tools leaves its tools
 * out of that turn, with a warning; a call that fails becomes a tool result the model reads.
 */
import { z } from 'zod';
import type { AgentDefinition } from '../core/agent';
import { mcpCallNeedsApproval, type McpServer } from '../core/mcp-server';
import { TOOL_NAME_PATTERN, HANDOFF_TOOL_PREFIX } from '../core/names';
import type { FunctionTool, ToolContext, ToolOutput } from '../core/tool';
import { MCP_REQUEST_TIMEOUT_MS, withMcpClient } from './mcp-session';

/** A tool as an MCP server lists it. */
export interface ListedTool {
  name: string;
  description?: string | undefined;
  inputSchema: Record<string, unknown>;
}

/** The `_meta` key an MCP tool call carries its idempotency key under. */
export const IDEMPOTENCY_META_KEY = 'io.durable-handoff/idempotency-key';

/** How long a server's tool list is kept (60 s by default). */
export const MCP_TOOL_LIST_TTL_MS = 60_000;

/** A turn's warning (see `TurnWarning`). */
export interface ToolWarning {
  code: string;
  message: string;
}

/** What the agent-turn activity asks for: the agent's tools this turn. */
export type AgentToolSource = (
  agent: AgentDefinition,
) => Promise<{ tools: readonly FunctionTool[]; warnings: readonly ToolWarning[] }>;

/** Arguments of MCP tools are checked by their server, which answers bad ones with an error result. */
const ANY_OBJECT = z.record(z.string(), z.unknown());

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What the model reads of an MCP tool result: its text content, other content as JSON. */
function resultText(result: { content?: unknown; structuredContent?: unknown }): string {
  const content = Array.isArray(result.content) ? (result.content as Array<Record<string, unknown>>) : [];
  const parts = content.map((part) =>
    part.type === 'text' && typeof part.text === 'string' ? part.text : JSON.stringify(part),
  );
  if (parts.length === 0 && result.structuredContent !== undefined)
    return JSON.stringify(result.structuredContent);
  return parts.join('\n');
}

/** See the module comment. One per app; `now` is the clock of the list cache. */
export class McpToolSource {
  readonly #lists = new Map<string, { tools: readonly ListedTool[]; at: number }>();
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: { ttlMs?: number; now?: () => number } = {}) {
    this.#ttlMs = options.ttlMs ?? MCP_TOOL_LIST_TTL_MS;
    this.#now = options.now ?? Date.now;
  }

  /** The agent's own tools, then each server's (in `mcp` order), with warnings for what was left out. */
  readonly toolsFor: AgentToolSource = async (agent) => {
    const tools: FunctionTool[] = [...agent.tools];
    const warnings: ToolWarning[] = [];
    const taken = new Set(tools.map((t) => t.name));
    const listed = await Promise.all(
      agent.mcp.map(async (server) => {
        try {
          return { server, tools: await this.#list(server) };
        } catch (error) {
          warnings.push({
            code: 'mcp_unavailable',
            message: `Agent '${agent.name}': MCP server '${server.name}' could not list its tools (${messageOf(error)}); they are not offered this turn.`,
          });
          return { server, tools: [] };
        }
      }),
    );
    for (const { server, tools: serverTools } of listed) {
      for (const listedTool of serverTools) {
        if (server.allowedTools && !server.allowedTools.includes(listedTool.name)) continue;
        const name = [listedTool.name, `${server.name}_${listedTool.name}`].find(
          (candidate) =>
            TOOL_NAME_PATTERN.test(candidate) &&
            !candidate.startsWith(HANDOFF_TOOL_PREFIX) &&
            !taken.has(candidate),
        );
        if (name === undefined) {
          warnings.push({
            code: 'mcp_tool_skipped',
            message: `Agent '${agent.name}': tool '${listedTool.name}' of MCP server '${server.name}' is not offered: its name is not a valid tool name or is taken.`,
          });
          continue;
        }
        taken.add(name);
        tools.push(this.#asTool(server, listedTool, name));
      }
    }
    return { tools, warnings };
  };

  async #list(server: McpServer): Promise<readonly ListedTool[]> {
    const key = `${server.name}|${server.url}`;
    const cached = this.#lists.get(key);
    if (cached && this.#now() - cached.at < this.#ttlMs) return cached.tools;
    const tools = await withMcpClient(server, async (client) => {
      const all: ListedTool[] = [];
      let cursor: string | undefined;
      do {
        const page = await client.listTools(cursor === undefined ? {} : { cursor }, {
          timeout: MCP_REQUEST_TIMEOUT_MS,
        });
        all.push(
          ...page.tools.map((t) => ({
            name: t.name,
            description: t.description,
            inputSchema: t.inputSchema,
          })),
        );
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      return all;
    });
    this.#lists.set(key, { tools, at: this.#now() });
    return tools;
  }

  #asTool(server: McpServer, listed: ListedTool, name: string): FunctionTool {
    return Object.freeze({
      kind: 'function_tool' as const,
      name,
      description: listed.description?.trim() || `Tool '${listed.name}' of the MCP server '${server.name}'.`,
      parameters: ANY_OBJECT,
      jsonSchema: Object.freeze({ ...listed.inputSchema }),
      needsApproval: mcpCallNeedsApproval(server, listed.name),
      execute: (args: unknown, context: ToolContext) => this.#call(server, listed.name, args, context),
    });
  }

  /** Calls the tool; an error result or a failed request throws, which the turn reports to the model. */
  async #call(server: McpServer, tool: string, args: unknown, context: ToolContext): Promise<ToolOutput> {
    const result = await withMcpClient(server, (client) =>
      client.callTool(
        {
          name: tool,
          arguments: args as Record<string, unknown>,
          _meta: { [IDEMPOTENCY_META_KEY]: context.idempotencyKey },
        },
        undefined,
        { timeout: MCP_REQUEST_TIMEOUT_MS, ...(context.signal ? { signal: context.signal } : {}) },
      ),
    );
    const text = resultText(result as { content?: unknown; structuredContent?: unknown });
    if (result.isError === true)
      throw new Error(`the MCP server '${server.name}' answered with an error: ${text}`);
    return text;
  }
}
