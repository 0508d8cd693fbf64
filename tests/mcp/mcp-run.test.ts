/**
 * MCP tools in a durable run, end to end: an app whose agent takes tools from a real MCP server
 * (built with the SDK, on a free port) runs on the local host against the scripted model. A call
 * that needs approval waits for the human through the respond route and then runs once, with the
 * run's idempotency key; a server that is down and a tool that fails never crash the run.
 */
import path from 'node:path';
import { startHost, type RunningHost } from '../../devhost/host';
import { HandoffClient } from '../../src/client';
import type { WorkflowEvent } from '../../src/core/events';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing';
import { appSettings } from '../support/app-host';
import { IDEMPOTENCY_META_KEY } from '../../src/mcp/mcp-tool-source';
import { startTestMcpServer, type TestMcpServer } from './support/test-mcp-server';

const APP = path.resolve(__dirname, '../fixtures/apps/mcp-handoff-app');

describe('an agent with tools from MCP servers', () => {
  let mcp: TestMcpServer;
  let model: ScriptedModelServer;
  let host: RunningHost;

  beforeAll(async () => {
    mcp = await startTestMcpServer();
    model = await startScriptedModelServer();
    host = await startHost({
      appDir: APP,
      port: 0,
      storage: 'memory',
      env: appSettings(model, {
        DOCS_MCP_URL: mcp.url,
        DOCS_MCP_KEY: 'docs-key',
        DOWN_MCP_URL: 'http://127.0.0.1:9/mcp',
      }),
      log: () => undefined,
    });
  }, 60_000);
  afterAll(async () => {
    await host?.stop();
    await model?.close();
    await mcp?.close();
  });

  it('searches, asks before opening a ticket, opens it once approved, and reads a failing tool as a result', async () => {
    model.addSteps(
      {
        agent: 'docs_agent',
        reply: {
          toolCalls: [{ name: 'search_docs', arguments: { query: 'router reboots' }, id: 'call_search' }],
        },
      },
      {
        agent: 'docs_agent',
        reply: {
          toolCalls: [
            { name: 'fail_tool', arguments: {}, id: 'call_fail' },
            { name: 'open_ticket', arguments: { title: 'Router reboots' }, id: 'call_ticket' },
          ],
        },
      },
      { agent: 'docs_agent', reply: { text: 'I opened a ticket for you; we are done here.' } },
    );
    const client = new HandoffClient({ baseUrl: host.baseUrl });
    const stream = client.runStream('docs_desk', 'My router keeps rebooting', { mode: 'autonomous' });
    const events: WorkflowEvent[] = [];
    for await (const event of stream) {
      events.push(event);
      if (event.type === 'request_info' && event.kind === 'tool_approval') {
        expect(event.tool).toMatchObject({ name: 'open_ticket', arguments: { title: 'Router reboots' } });
        // Nothing of that response ran before the answer.
        expect(mcp.calls.map((c) => c.name)).toEqual(['search_docs']);
        await client.respond(await stream.run, { approved: true }, { requestId: event.requestId });
      }
    }
    const run = await stream.run;
    expect(events.at(-1)).toMatchObject({ type: 'output', stopReason: 'terminated_by_condition' });
    expect(mcp.calls).toEqual([
      expect.objectContaining({ name: 'search_docs', apiKey: 'docs-key' }),
      expect.objectContaining({ name: 'fail_tool' }),
      expect.objectContaining({
        name: 'open_ticket',
        args: { title: 'Router reboots' },
        meta: expect.objectContaining({ [IDEMPOTENCY_META_KEY]: `${run.runId}:call_ticket` }),
      }),
    ]);
    expect(events.flatMap((e) => (e.type === 'tool_result' ? [`${e.tool} ${e.ok}`] : []))).toEqual([
      'search_docs true',
      'fail_tool false',
      'open_ticket true',
    ]);
    // The server that is down only costs warnings: one per turn segment that listed tools.
    expect(events.filter((e) => e.type === 'warning' && e.code === 'mcp_unavailable').length).toBeGreaterThan(
      0,
    );
    const toolTexts = model.requests
      .at(-1)!
      .body.messages.flatMap((m) => (m.role === 'tool' ? [m.content] : []));
    expect(toolTexts).toEqual([
      'Found 2 pages for "router reboots": Reset, Firmware.',
      "Tool 'fail_tool' failed: the MCP server 'docs' answered with an error: the ticket system is down",
      'Ticket T-3 opened: Router reboots',
    ]);
    model.assertComplete();
  });
});
