/**
 * Tool approvals through the public HTTP API and the TypeScript client, on the local host (memory
 * storage) against the scripted model server: the sample's issue_refund needs a human's yes.
 */
import { VirtualClock } from '../../devhost/durable';
import { HandoffClient } from '../../src/client/handoff-client';
import type { WorkflowEvent } from '../../src/core/events';
import type { RunHandle } from '../../src/client/api-schemas';
import { request } from '../support/api-client';
import { startRunOver, statusWhen as runStatusWhen } from '../support/run-over-http';
import { handoffTo } from '../support/scripted-replies';
import { startAppHost, type AppHost } from '../support/app-host';

type Started = RunHandle;
type Pending = {
  requestId: string;
  agent: string;
  prompt: string;
  kind: string;
  tool?: { name: string; arguments: unknown; callId: string };
};
type Status = { state: string; stopReason?: string; pendingRequest: Pending | null };
type ErrorBody = { error: { code: string; message: string } };

const refund = (amount: number, id: string) => ({
  toolCalls: [{ name: 'issue_refund', arguments: { orderId: '12345', amount }, id }],
});

const startRun = (app: AppHost, message: string): Promise<Started> => startRunOver(app.api, { message });
const statusWhen = (run: Started, what: string, predicate: (s: Status) => boolean) =>
  runStatusWhen<Status>(run, what, predicate);

async function eventsOf(run: Started): Promise<WorkflowEvent[]> {
  return (await request<{ events: WorkflowEvent[] }>(run.eventsUri, { token: run.token })).body.events;
}

describe('tool approval over HTTP', () => {
  let app: AppHost;
  beforeAll(async () => {
    app = await startAppHost();
  });
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(() => app.model.reset());

  it('shows the call to approve, refuses the wrong kind of answer, and runs the tool once approved', async () => {
    app.model.addSteps(
      { agent: 'coordinator_agent', reply: handoffTo('refund_agent') },
      { agent: 'refund_agent', reply: refund(5, 'call_api') },
      { agent: 'refund_agent', reply: { text: 'I have refunded 5 USD for order #12345.' } },
    );
    const run = await startRun(app, 'Please refund 5 dollars of order #12345');
    const status = await statusWhen(run, 'the approval request', (s) => s.state === 'awaiting_input');
    expect(status.pendingRequest).toEqual({
      requestId: expect.any(String),
      agent: 'refund_agent',
      prompt: 'refund_agent asks to run issue_refund. Approve or reject this call.',
      kind: 'tool_approval',
      tool: { name: 'issue_refund', arguments: { orderId: '12345', amount: 5 }, callId: 'call_api' },
    });
    const requestId = status.pendingRequest!.requestId;

    const message = await request<ErrorBody>(run.respondUri, {
      token: run.token,
      body: { message: 'yes please', requestId },
    });
    expect([message.status, message.body.error.code]).toEqual([409, 'approval_expected']);
    const unnamed = await request<ErrorBody>(run.respondUri, {
      token: run.token,
      body: { approval: { approved: true } },
    });
    expect([unnamed.status, unnamed.body.error.code]).toEqual([400, 'invalid_request']);
    expect(unnamed.body.error.message).toContain('an approval must name its requestId');
    const malformed = await request<ErrorBody>(run.respondUri, {
      token: run.token,
      body: { requestId, approval: { approved: 'yes' } },
    });
    expect([malformed.status, malformed.body.error.code]).toEqual([400, 'invalid_request']);

    const approved = await request(run.respondUri, {
      token: run.token,
      body: { requestId, approval: { approved: true } },
    });
    expect(approved.status).toBe(202);
    const done = await statusWhen(run, 'the run to finish', (s) => s.state === 'completed');
    expect(done.stopReason).toBe('terminated_by_condition');
    const events = await eventsOf(run);
    expect(events.filter((e) => e.type === 'request_info')).toEqual([
      expect.objectContaining({ kind: 'tool_approval', requestId }),
    ]);
    expect(events.flatMap((e) => (e.type === 'tool_call' || e.type === 'tool_result' ? [e] : []))).toEqual([
      expect.objectContaining({
        type: 'tool_call',
        tool: 'issue_refund',
        callId: 'call_api',
        arguments: { orderId: '12345', amount: 5 },
      }),
      expect.objectContaining({ type: 'tool_result', tool: 'issue_refund', callId: 'call_api', ok: true }),
    ]);
  });

  it('answers a reply request that gets an approval with 409 reply_expected', async () => {
    app.model.addSteps({ agent: 'coordinator_agent', reply: { text: 'How can I help?' } });
    const run = await startRun(app, 'Hello');
    const status = await statusWhen(run, 'a question', (s) => s.state === 'awaiting_input');
    expect(status.pendingRequest).toMatchObject({ kind: 'reply' });
    expect(status.pendingRequest!.tool).toBeUndefined();
    const wrong = await request<ErrorBody>(run.respondUri, {
      token: run.token,
      body: { requestId: status.pendingRequest!.requestId, approval: { approved: true } },
    });
    expect([wrong.status, wrong.body.error.code]).toEqual([409, 'reply_expected']);
    const events = await eventsOf(run);
    expect(events.find((e) => e.type === 'request_info')).toMatchObject({ kind: 'reply' });
    await request(`${app.api}/workflows/customer_support/terminate/${run.runId}`, {
      token: run.token,
      method: 'POST',
    });
  });

  it('rejects through the client: the tool never runs and the model reads the reason', async () => {
    app.model.addSteps(
      { agent: 'coordinator_agent', reply: handoffTo('refund_agent') },
      { agent: 'refund_agent', reply: refund(40, 'call_client') },
      {
        agent: 'refund_agent',
        reply: { text: 'That refund was not approved, so nothing was refunded. It is resolved.' },
      },
    );
    const client = new HandoffClient({ baseUrl: app.host.baseUrl });
    const stream = client.runStream('customer_support', 'Refund 40 of #12345');
    const seen: WorkflowEvent[] = [];
    for await (const event of stream) {
      seen.push(event);
      if (event.type === 'request_info' && event.kind === 'tool_approval') {
        const run = await stream.run;
        const pending = (await client.status(run)).pendingRequest;
        expect(pending).toMatchObject({
          kind: 'tool_approval',
          tool: { name: 'issue_refund', callId: 'call_client' },
        });
        await client.respond(
          run,
          { approved: false, reason: 'Over the agent limit' },
          { requestId: event.requestId },
        );
      }
    }
    expect(seen.find((e) => e.type === 'tool_approval')).toMatchObject({
      approved: false,
      reason: 'Over the agent limit',
      tool: 'issue_refund',
      callId: 'call_client',
    });
    expect(seen.some((e) => e.type === 'tool_call' || e.type === 'tool_result')).toBe(false);
    const toolMessage = app.model.requests.at(-1)?.body.messages.find((m) => m.role === 'tool');
    expect(toolMessage).toMatchObject({ content: expect.stringContaining('Reason: Over the agent limit') });
    expect(seen.at(-1)).toMatchObject({ type: 'output', stopReason: 'terminated_by_condition' });
  });

  it('approves through the client, and a tool that throws becomes a failed result the model reads', async () => {
    app.model.addSteps(
      { agent: 'coordinator_agent', reply: handoffTo('refund_agent') },
      { agent: 'refund_agent', reply: refund(5000, 'call_throws') },
      {
        agent: 'refund_agent',
        reply: { text: 'I could not refund that much; the order is resolved otherwise.' },
      },
    );
    const client = new HandoffClient({ baseUrl: app.host.baseUrl });
    const stream = client.runStream('customer_support', 'Refund 5000 of #12345');
    const seen: WorkflowEvent[] = [];
    for await (const event of stream) {
      seen.push(event);
      if (event.type === 'request_info' && event.kind === 'tool_approval') {
        await client.respond(await stream.run, { approved: true }, { requestId: event.requestId });
      }
    }
    expect(seen.filter((e) => e.type === 'tool_result')).toEqual([
      expect.objectContaining({ tool: 'issue_refund', callId: 'call_throws', ok: false }),
    ]);
    expect(seen.find((e) => e.type === 'warning')).toMatchObject({ code: 'tool_error' });
    const toolMessage = app.model.requests.at(-1)?.body.messages.find((m) => m.role === 'tool');
    expect(toolMessage).toMatchObject({
      content: expect.stringMatching(
        /^Tool 'issue_refund' failed: Order #12345 has [\d.]+ USD left to refund; 5000 is too much\.$/,
      ),
    });
    expect(seen.at(-1)).toMatchObject({ type: 'output', stopReason: 'terminated_by_condition' });
  });
});

describe('an approval nobody answers', () => {
  // Starts at the real time: run tokens are checked against the real clock, and a finished run's
  // tokens are revoked a day after its (virtual) end.
  const clock = new VirtualClock(new Date());
  let app: AppHost;
  beforeAll(async () => {
    app = await startAppHost({ clock });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('ends the run with reply_timeout once the reply timeout passes, without running the tool', async () => {
    app.model.addSteps(
      { agent: 'coordinator_agent', reply: handoffTo('refund_agent') },
      { agent: 'refund_agent', reply: refund(1, 'call_timeout') },
    );
    const run = await startRun(app, 'Refund 1 of #12345');
    await statusWhen(run, 'the approval request', (s) => s.pendingRequest?.kind === 'tool_approval');
    clock.advance(24 * 60 * 60 * 1000);
    const done = await statusWhen(run, 'the run to time out', (s) => s.state === 'completed');
    expect(done.stopReason).toBe('reply_timeout');
    const events = await eventsOf(run);
    expect(events.some((e) => e.type === 'tool_call')).toBe(false);
    expect(events.at(-1)?.type).toBe('output');
  });
});
