/**
 * One short session with an MCP server over streamable HTTP: connect, do one thing, close. The SDK
 * loads on first use (an app without MCP servers never loads it).
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { McpServer } from '../core/mcp-server';

/** How long one request to an MCP server may take before it counts as failed. */
export const MCP_REQUEST_TIMEOUT_MS = 30_000;

async function headersOf(server: McpServer): Promise<Record<string, string>> {
  const headers = server.headers;
  if (headers === undefined) return {};
  return { ...(typeof headers === 'function' ? await headers() : headers) };
}

/**
 * Connects to `server`, runs `work` with the connected client and closes the connection, whatever
 * happens. Connecting per use keeps no socket open between turns, which a Functions instance that
 * sleeps between them would lose anyway.
 */
export async function withMcpClient<T>(server: McpServer, work: (client: Client) => Promise<T>): Promise<T> {
  const [sdk, { StreamableHTTPClientTransport }] = await Promise.all([
    import('@modelcontextprotocol/sdk/client/index.js'),
    import('@modelcontextprotocol/sdk/client/streamableHttp.js'),
  ]);
  const transport = new StreamableHTTPClientTransport(new URL(server.url), {
    requestInit: { headers: await headersOf(server) },
  });
  const client = new sdk.Client({ name: 'durable-handoff', version: '0.1.0' });
  try {
    await client.connect(transport, { timeout: MCP_REQUEST_TIMEOUT_MS });
    return await work(client);
  } finally {
    await client.close().catch(() => undefined);
  }
}
