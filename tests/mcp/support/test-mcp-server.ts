/**
 * A real MCP server, built with the SDK, on a free loopback port (streamable HTTP, stateless): the
 * docs desk's tools. It records every tool call (name, arguments, `_meta`, the request's headers)
 * and every listing, and can be made to fail every request with a 500.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

/** One tool call the server received. */
export interface ReceivedCall {
  name: string;
  args: Record<string, unknown>;
  meta: Record<string, unknown> | undefined;
  apiKey: string | undefined;
}

export interface TestMcpServer {
  /** `http://127.0.0.1:<port>/mcp`. */
  url: string;
  calls: ReceivedCall[];
  /** How many `tools/list` requests arrived. */
  listings: number;
  /** Answer every request with a 500 from now on. */
  failing: boolean;
  close(): Promise<void>;
}

function docsServer(state: TestMcpServer, apiKey: string | undefined): McpServer {
  const server = new McpServer({ name: 'docs-desk', version: '1.0.0' });
  const record = (name: string, args: Record<string, unknown>, extra: { _meta?: Record<string, unknown> }) =>
    state.calls.push({ name, args, meta: extra._meta, apiKey });
  server.registerTool(
    'search_docs',
    { description: 'Search the product documentation.', inputSchema: { query: z.string() } },
    (args, extra) => {
      record('search_docs', args, extra);
      return { content: [{ type: 'text', text: `Found 2 pages for "${args.query}": Reset, Firmware.` }] };
    },
  );
  server.registerTool(
    'open_ticket',
    { description: 'Open a support ticket.', inputSchema: { title: z.string() } },
    (args, extra) => {
      record('open_ticket', args, extra);
      return { content: [{ type: 'text', text: `Ticket T-${state.calls.length} opened: ${args.title}` }] };
    },
  );
  server.registerTool('fail_tool', { description: 'Always fails.', inputSchema: {} }, (args, extra) => {
    record('fail_tool', args, extra);
    return { isError: true, content: [{ type: 'text', text: 'the ticket system is down' }] };
  });
  server.registerTool('secret_tool', { description: 'Not for agents.', inputSchema: {} }, () => ({
    content: [{ type: 'text', text: 'secret' }],
  }));
  return server;
}

/** Starts the server; `close()` stops it. */
export async function startTestMcpServer(): Promise<TestMcpServer> {
  const state: TestMcpServer = {
    url: '',
    calls: [],
    listings: 0,
    failing: false,
    close: () => Promise.resolve(),
  };
  const httpServer = http.createServer((req, res) => {
    void (async () => {
      if (state.failing) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('docs desk is down');
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      const body: unknown = text === '' ? undefined : JSON.parse(text);
      if ((body as { method?: string } | undefined)?.method === 'tools/list') state.listings += 1;
      const header = req.headers['x-api-key'];
      const server = docsServer(state, typeof header === 'string' ? header : undefined);
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res, body);
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/mcp`;
  state.close = () =>
    new Promise<void>((resolve) => {
      httpServer.closeAllConnections();
      httpServer.close(() => resolve());
    });
  return state;
}
