/**
 * Tools from a real MCP server (built with the SDK, on a free port) as an agent's turn gets them:
 * listed with a cache, filtered, named without collisions, called with the call's idempotency key,
 * and a server that fails becomes a warning or a failed tool result, never an exception for the run.
 */
import { agent } from '../../src/core/agent';
import { tool } from '../../src/core/tool';
import { executeTool } from '../../src/model/agent-turn/execute-tool';
import { IDEMPOTENCY_META_KEY, McpToolSource } from '../../src/mcp/mcp-tool-source';
import type { FunctionTool, ToolContext } from '../../src/core/tool';
import { z } from 'zod';
import { startTestMcpServer, type TestMcpServer } from './support/test-mcp-server';

const context = (callId: string): ToolContext => ({
  workflowName: 'docs_desk',
  runId: 'run-1',
  agentName: 'docs_agent',
  toolCallId: callId,
  idempotencyKey: `run-1:${callId}`,
});

function named(tools: readonly FunctionTool[], name: string): FunctionTool {
  const found = tools.find((t) => t.name === name);
  if (!found) throw new Error(`no tool ${name} in ${tools.map((t) => t.name).join(', ')}`);
  return found;
}

describe('tools from an MCP server', () => {
  let server: TestMcpServer;
  beforeEach(async () => {
    server = await startTestMcpServer();
  });
  afterEach(async () => {
    await server?.close();
  });

  const docsAgent = (extra: Partial<Parameters<typeof agent>[0]> = {}) =>
    agent({
      name: 'docs_agent',
      instructions: 'Answer from the docs.',
      mcp: [
        {
          name: 'docs',
          url: server.url,
          headers: () => ({ 'x-api-key': 'key-from-settings' }),
          allowedTools: ['search_docs', 'open_ticket', 'fail_tool'],
          requireApproval: ['open_ticket'],
        },
      ],
      ...extra,
    });

  it('lists the allowed tools with their descriptions, schemas and approval rule, and keeps the list for a while', async () => {
    let now = 1_000;
    const source = new McpToolSource({ ttlMs: 60_000, now: () => now });
    const { tools, warnings } = await source.toolsFor(docsAgent());
    expect(warnings).toEqual([]);
    expect(tools.map((t) => [t.name, t.description, t.needsApproval])).toEqual([
      ['search_docs', 'Search the product documentation.', false],
      ['open_ticket', 'Open a support ticket.', true],
      ['fail_tool', 'Always fails.', false],
    ]);
    expect(named(tools, 'search_docs').jsonSchema).toMatchObject({
      type: 'object',
      properties: { query: { type: 'string' } },
      required: ['query'],
    });
    await source.toolsFor(docsAgent());
    expect(server.listings).toBe(1);
    now += 60_000;
    await source.toolsFor(docsAgent());
    expect(server.listings).toBe(2);
  });

  it("calls a tool with the call's idempotency key and the headers made at use, and returns its text", async () => {
    const { tools } = await new McpToolSource().toolsFor(docsAgent());
    const result = await executeTool(named(tools, 'search_docs'), { query: 'reset' }, context('call_1'));
    expect(result).toEqual({ text: 'Found 2 pages for "reset": Reset, Firmware.', ok: true });
    expect(server.calls).toEqual([
      {
        name: 'search_docs',
        args: { query: 'reset' },
        meta: expect.objectContaining({ [IDEMPOTENCY_META_KEY]: 'run-1:call_1' }),
        apiKey: 'key-from-settings',
      },
    ]);
  });

  it('turns an error result and a server that stopped answering into failed results the model reads', async () => {
    const { tools } = await new McpToolSource().toolsFor(docsAgent());
    expect(await executeTool(named(tools, 'fail_tool'), {}, context('call_2'))).toEqual({
      ok: false,
      text: "Tool 'fail_tool' failed: the MCP server 'docs' answered with an error: the ticket system is down",
    });
    server.failing = true;
    const down = await executeTool(named(tools, 'search_docs'), { query: 'x' }, context('call_3'));
    expect(down.ok).toBe(false);
    expect(down.text).toMatch(/^Tool 'search_docs' failed: /);
  });

  it('leaves out the tools of a server that cannot list them, with a warning, and keeps the others', async () => {
    const own = tool({
      name: 'search_docs',
      description: 'The agent has its own search.',
      parameters: z.object({ q: z.string() }),
      execute: () => 'own',
    });
    const withDown = docsAgent({
      tools: [own],
      mcp: [
        { name: 'docs', url: server.url, allowedTools: ['search_docs'] },
        { name: 'down', url: 'http://127.0.0.1:9/mcp' },
      ],
    });
    const { tools, warnings } = await new McpToolSource().toolsFor(withDown);
    // The server's search_docs takes the server's name: the agent's own tool has the plain one.
    expect(tools.map((t) => t.name)).toEqual(['search_docs', 'docs_search_docs']);
    expect(warnings).toEqual([
      {
        code: 'mcp_unavailable',
        message: expect.stringMatching(
          /^Agent 'docs_agent': MCP server 'down' could not list its tools \(.+\); they are not offered this turn\.$/,
        ),
      },
    ]);
  });

  it('checks the mcp option when the agent is defined', () => {
    expect(() => agent({ name: 'a', instructions: 'x', mcp: [{ name: 'docs', url: 'ftp://x' }] })).toThrow(
      "Agent 'a': mcp[0]: url must be an http:// or https:// URL",
    );
    expect(() =>
      agent({
        name: 'a',
        instructions: 'x',
        mcp: [
          { name: 'docs', url: 'https://a.example/mcp' },
          { name: 'docs', url: 'https://b.example/mcp' },
        ],
      }),
    ).toThrow('Agent \'a\' has two MCP servers named "docs"');
  });
});
