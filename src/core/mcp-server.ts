/**
 * Tools from MCP servers: what an agent's `mcp: [...]` option says. The core only describes the
 * servers; the tools are listed and called activity-side (`src/mcp/`), at turn time.
 */
import { z } from 'zod';

/** Headers sent to an MCP server: fixed, or made at use (e.g. a token read from app settings). */
export type McpHeaders =
  | Readonly<Record<string, string>>
  | (() => Readonly<Record<string, string>> | Promise<Readonly<Record<string, string>>>);

/** One MCP server an agent takes tools from (streamable HTTP transport). */
export interface McpServerOptions {
  /** Names the server in warnings and in tool names that would collide: 1-32 letters, digits, '_' or '-'. */
  name: string;
  /** The server's streamable HTTP endpoint, e.g. `https://mcp.example.com/mcp`. */
  url: string;
  /** Sent with every request, e.g. `{ Authorization: 'Bearer ...' }`; a function is called at use. */
  headers?: McpHeaders;
  /** Only these of the server's tools are offered (default: all it lists). */
  allowedTools?: readonly string[];
  /** `true`: every call of the server's tools waits for a human's approval; a list: calls of those tools do. */
  requireApproval?: boolean | readonly string[];
}

/** A validated, frozen {@link McpServerOptions}. */
export type McpServer = Readonly<McpServerOptions>;

const NAME = /^[A-Za-z0-9_-]{1,32}$/;

/** The schema of one entry of `mcp`, with messages that say how to fix it (`where` names the agent). */
export function mcpServerSchema(where: string) {
  return z.strictObject(
    {
      name: z.string().regex(NAME, `${where}: an MCP server name is 1-32 letters, digits, '_' or '-'`),
      url: z
        .string({ error: `${where}: url must be the server's http(s) endpoint` })
        .refine((url) => URL.canParse(url) && /^https?:$/.test(new URL(url).protocol), {
          error: `${where}: url must be an http:// or https:// URL`,
        }),
      headers: z
        .union([z.record(z.string(), z.string()), z.custom<() => unknown>((v) => typeof v === 'function')], {
          error: `${where}: headers must be an object of strings, or a function that returns one`,
        })
        .optional(),
      allowedTools: z
        .array(z.string().min(1), { error: `${where}: allowedTools must be a list of tool names` })
        .optional(),
      requireApproval: z
        .union([z.boolean(), z.array(z.string().min(1))], {
          error: `${where}: requireApproval must be true, false or a list of tool names`,
        })
        .optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `${where} has unknown option(s) ${issue.keys.join(', ')}. Allowed: name, url, headers, allowedTools, requireApproval.`
          : undefined,
    },
  );
}

/** What a definition document says of a server: everything but its headers (they may hold secrets). */
export function describeMcpServer(server: McpServer): Record<string, unknown> {
  return {
    name: server.name,
    url: server.url,
    allowedTools: server.allowedTools,
    requireApproval: server.requireApproval,
  };
}

/** True when calls of `toolName` from `server` wait for approval. */
export function mcpCallNeedsApproval(server: McpServer, toolName: string): boolean {
  const rule = server.requireApproval;
  return rule === true || (Array.isArray(rule) && rule.includes(toolName));
}
