/**
 * Tools that need approval, and tools that must not run twice, through the real orchestrator and
 * activities on the local host's durable engine (memory storage, virtual clock, scripted model).
 * Every run's history replays without divergence and is saved as a replay fixture when recording.
 */
import { appEnvironment } from '../../devhost/config/app-environment';
import { replayRecording } from '../../devhost/durable';
import { openAppTable } from '../../src/app/app-table';
import { ORDERS_TABLE } from '../../sample/src/orders/orders-table';
import type { WorkflowEvent } from '../../src/core/events';
import { executorTrail, OrchestratorHarness } from './support/orchestrator-harness';
import { callTools, handoffTo } from '../support/scripted-replies';

const harness = new OrchestratorHarness();

beforeAll(async () => {
  await harness.start();
});
afterAll(async () => {
  await harness.stop();
});

async function expectDeterministic(name: string, runId: string): Promise<void> {
  const divergences = await replayRecording(harness.app.host.worker, await harness.recording(runId));
  expect(divergences.map((d) => d.message)).toEqual([]);
  await harness.saveIfRecording(name, runId);
}

const ofType = <T extends WorkflowEvent['type']>(events: WorkflowEvent[], type: T) =>
  events.filter((e): e is Extract<WorkflowEvent, { type: T }> => e.type === type);

/** How many times the sample's tools were asked to act with `idempotencyKey` (the orders table logs each). */
async function toolRequests(idempotencyKey: string): Promise<number> {
  const table = await openAppTable(ORDERS_TABLE, appEnvironment());
  let count = 0;
  for await (const row of table.listEntities<{ idempotencyKey?: string }>()) {
    if (row.rowKey?.startsWith('log-') && row.idempotencyKey === idempotencyKey) count += 1;
  }
  return count;
}

/**
 * Problems of tool-call pairing in what the model was sent: every tool message must answer a call
 * of the assistant message before it (providers refuse a request otherwise), and every call of an
 * assistant message must be answered before the next one.
 */
function pairingProblems(): string[] {
  return harness.app.model.requests.flatMap((request, n) => {
    const problems: string[] = [];
    let open: string[] = [];
    for (const message of request.body.messages as Array<{
      role: string;
      tool_calls?: Array<{ id: string }>;
      tool_call_id?: string;
    }>) {
      if (message.role === 'tool') {
        if (!open.includes(String(message.tool_call_id)))
          problems.push(`request ${n + 1}: result ${message.tool_call_id} follows no call`);
        open = open.filter((id) => id !== message.tool_call_id);
        continue;
      }
      if (open.length > 0) problems.push(`request ${n + 1}: calls ${open.join(', ')} have no result`);
      open = message.role === 'assistant' ? (message.tool_calls ?? []).map((c) => c.id) : [];
    }
    return problems;
  });
}

afterEach(() => {
  // Checked on every request a test made: a resumed turn must show its calls before their results.
  expect(pairingProblems()).toEqual([]);
});

/** The tool result messages the model was sent in its last request. */
function lastToolResults(): Array<{ tool_call_id?: unknown; content?: unknown }> {
  const last = harness.app.model.requests.at(-1);
  return (last?.body.messages ?? []).filter((m) => m.role === 'tool');
}

describe('tool approval', () => {
  it('asks before issue_refund runs, runs it once approved, and the agent answers with its result', async () => {
    harness.script([
      { agent: 'coordinator_agent', reply: handoffTo('refund_agent') },
      { agent: 'refund_agent', reply: callTools(['lookup_order', { orderId: '12345' }, 'call_lookup']) },
      {
        agent: 'refund_agent',
        reply: callTools(['issue_refund', { orderId: '12345', amount: 10 }, 'call_refund']),
      },
      { agent: 'refund_agent', reply: { text: 'I have refunded 10 USD for order #12345.' } },
    ]);
    const runId = await harness.startRun('tool-approved', { message: 'Refund order #12345 please' });
    const request = await harness.awaitingInput(runId);
    expect(request).toMatchObject({
      agent: 'refund_agent',
      kind: 'tool_approval',
      tool: { name: 'issue_refund', arguments: { orderId: '12345', amount: 10 }, callId: 'call_refund' },
    });
    // The lookup ran (no approval needed); the refund has not.
    expect(lastToolResults().map((m) => m.tool_call_id)).toEqual(['call_lookup']);
    await harness.approve(runId, request.requestId, { approved: true });
    const output = await harness.finished(runId);
    expect(output).toMatchObject({ state: 'completed', stopReason: 'terminated_by_condition', turns: 2 });
    expect(output.usage.refund_agent?.requests).toBe(3);
    const refund = lastToolResults().find((m) => m.tool_call_id === 'call_refund');
    expect(JSON.parse(String(refund?.content))).toMatchObject({
      orderId: '12345',
      amount: 10,
      status: 'refunded',
    });
    expect(await toolRequests(`${runId}:call_refund`)).toBe(1);

    const events = await harness.events(runId);
    expect(ofType(events, 'request_info')).toEqual([
      expect.objectContaining({ kind: 'tool_approval', requestId: request.requestId, tool: request.tool }),
    ]);
    expect(ofType(events, 'tool_approval')).toEqual([
      expect.objectContaining({
        agent: 'refund_agent',
        tool: 'issue_refund',
        callId: 'call_refund',
        approved: true,
      }),
    ]);
    expect(
      events.flatMap((e) =>
        e.type === 'tool_call' || e.type === 'tool_result' ? [`${e.type} ${e.callId}`] : [],
      ),
    ).toEqual([
      'tool_call call_lookup',
      'tool_result call_lookup',
      'tool_call call_refund',
      'tool_result call_refund',
    ]);
    expect(ofType(events, 'tool_result').every((e) => e.ok)).toBe(true);
    expect(executorTrail(events)).toEqual([
      '+input-conversation',
      '-input-conversation',
      '+coordinator_agent',
      '-coordinator_agent',
      '+handoff-coordinator',
      '-handoff-coordinator',
      '+refund_agent',
      '-refund_agent',
      '+refund_agent',
      '-refund_agent',
      '+handoff-coordinator',
      '-handoff-coordinator',
    ]);
    harness.app.model.assertComplete();
    await expectDeterministic('tool-approved', runId);
  });

  it('never runs a rejected call: the model reads the rejection and its reason, and carries on', async () => {
    harness.script([
      { agent: 'coordinator_agent', reply: handoffTo('refund_agent') },
      {
        agent: 'refund_agent',
        reply: callTools(['issue_refund', { orderId: '12346', amount: 199 }, 'call_no']),
      },
      { agent: 'refund_agent', reply: { text: 'The refund was not approved; a colleague will call you.' } },
    ]);
    const runId = await harness.startRun('tool-rejected', { message: 'Refund order #12346' });
    const request = await harness.awaitingInput(runId);
    await harness.approve(runId, request.requestId, { approved: false, reason: 'Needs a manager' });
    const next = await harness.awaitingInput(runId);
    expect(next.kind).toBeUndefined(); // the agent asks the human as usual
    expect(lastToolResults()).toEqual([
      expect.objectContaining({
        tool_call_id: 'call_no',
        content:
          "Rejected: the human did not approve this call of 'issue_refund', so it did not run. Reason: Needs a manager",
      }),
    ]);
    const events = await harness.events(runId);
    expect(ofType(events, 'tool_approval')).toEqual([
      expect.objectContaining({ approved: false, reason: 'Needs a manager', callId: 'call_no' }),
    ]);
    expect(ofType(events, 'tool_call')).toEqual([]);
    expect(ofType(events, 'tool_result')).toEqual([]);
    expect(await toolRequests(`${runId}:call_no`)).toBe(0);
    await harness.cancel(runId);
    await harness.finished(runId);
    await expectDeterministic('tool-rejected', runId);
  });

  it('asks about several calls of one response one after the other, in order, and applies the answers together', async () => {
    harness.script([
      { agent: 'coordinator_agent', reply: handoffTo('refund_agent') },
      {
        agent: 'refund_agent',
        reply: callTools(
          ['issue_refund', { orderId: '12346', amount: 5 }, 'call_1'],
          ['lookup_order', { orderId: '12347' }, 'call_2'],
          ['issue_refund', { orderId: '12347', amount: 6 }, 'call_3'],
        ),
      },
      { agent: 'refund_agent', reply: { text: 'One refund was issued, the other one was refunded... not.' } },
    ]);
    const runId = await harness.startRun('two-approvals', { message: 'Refund two orders' });
    const first = await harness.awaitingInput(runId);
    expect(first.tool?.callId).toBe('call_1');
    await harness.approve(runId, first.requestId, { approved: true });
    const second = await harness.settle(
      runId,
      (s) =>
        (s.customStatus as { pendingRequest?: { tool?: { callId?: string } } } | null)?.pendingRequest?.tool
          ?.callId === 'call_3',
    );
    const secondRequest = (second.customStatus as { pendingRequest: { requestId: string } }).pendingRequest;
    expect(secondRequest.requestId).not.toBe(first.requestId);
    // Nothing ran while a call of the response still waited for its answer.
    expect(harness.app.model.requests).toHaveLength(2);
    await harness.approve(runId, secondRequest.requestId, { approved: false });
    await harness.finished(runId);
    const results = lastToolResults();
    expect(results.map((m) => m.tool_call_id)).toEqual(['call_1', 'call_2', 'call_3']);
    expect(String(results[2]?.content)).toMatch(/^Rejected: .* No reason was given\.$/);
    const events = await harness.events(runId);
    expect(ofType(events, 'tool_call').map((e) => e.callId)).toEqual(['call_1', 'call_2']);
    expect(ofType(events, 'request_info').map((e) => e.tool?.callId)).toEqual(['call_1', 'call_3']);
    await expectDeterministic('two-approvals', runId);
  });

  it('ignores, with a warning, a message sent to an approval around the API, and an approval sent to a question', async () => {
    harness.script([
      { agent: 'coordinator_agent', reply: handoffTo('refund_agent') },
      {
        agent: 'refund_agent',
        reply: callTools(['issue_refund', { orderId: '12347', amount: 2 }, 'call_kind']),
      },
      { agent: 'refund_agent', reply: { text: 'Refund issued. Anything else?' } },
    ]);
    const runId = await harness.startRun('approval-wrong-answers', { message: 'Refund #12347' });
    const approval = await harness.awaitingInput(runId);
    await harness.reply(runId, 'yes, go ahead', approval.requestId);
    await harness.engine.idle();
    expect(await harness.awaitingInput(runId)).toEqual(approval);
    await harness.approve(runId, approval.requestId, { approved: true });
    const question = await harness.settle(
      runId,
      (s) =>
        (s.customStatus as { pendingRequest?: { requestId: string } | null } | null)?.pendingRequest
          ?.requestId !== approval.requestId,
    );
    const open = (question.customStatus as { pendingRequest: { requestId: string; kind?: string } })
      .pendingRequest;
    expect(open.kind).toBeUndefined();
    await harness.approve(runId, open.requestId, { approved: true });
    await harness.engine.idle();
    expect((await harness.awaitingInput(runId)).requestId).toBe(open.requestId);
    await harness.cancel(runId);
    await harness.finished(runId);
    const warnings = (await harness.events(runId)).flatMap((e) => (e.type === 'warning' ? [e.code] : []));
    expect(warnings).toEqual(['approval_expected', 'reply_expected', 'cancelled']);
    await expectDeterministic('approval-wrong-answers', runId);
  });

  it('ends with reply_timeout when nobody answers an approval in time; the tool never runs', async () => {
    harness.script([
      { agent: 'coordinator_agent', reply: handoffTo('refund_agent') },
      {
        agent: 'refund_agent',
        reply: callTools(['issue_refund', { orderId: '12345', amount: 1 }, 'call_late']),
      },
    ]);
    const runId = await harness.startRun('approval-timeout', { message: 'Refund #12345' });
    await harness.awaitingInput(runId);
    harness.clock.advance(24 * 60 * 60 * 1000);
    const output = await harness.finished(runId);
    expect(output).toMatchObject({ state: 'completed', stopReason: 'reply_timeout', turns: 1 });
    const events = await harness.events(runId);
    expect(ofType(events, 'tool_call')).toEqual([]);
    expect(events.at(-1)?.type).toBe('output');
    await expectDeterministic('approval-timeout', runId);
  });

  it('replays what a failed attempt recorded: the model is not asked again and the tool does not run again', async () => {
    harness.script([
      { agent: 'coordinator_agent', reply: handoffTo('shipping_agent') },
      { agent: 'shipping_agent', reply: callTools(['lookup_order', { orderId: '12345' }, 'call_once']) },
      { agent: 'shipping_agent', reply: { status: 503 } },
      { agent: 'shipping_agent', reply: { text: 'Your parcel will be delivered within 2 business days.' } },
    ]);
    const runId = await harness.startRun('turn-retry-replays-steps', {
      message: 'Where is #12345?',
      mode: 'autonomous',
    });
    const output = await harness.finished(runId, { advanceTimersUpToMs: 60_000 });
    expect(output).toMatchObject({ state: 'completed', stopReason: 'terminated_by_condition' });
    // 1 handoff + the lookup + the 503 + the answer: the retried attempt did not ask for the lookup again.
    expect(harness.app.model.requests.map((r) => r.agent)).toEqual([
      'coordinator_agent',
      'shipping_agent',
      'shipping_agent',
      'shipping_agent',
    ]);
    const events = await harness.events(runId);
    expect(ofType(events, 'tool_call').map((e) => e.callId)).toEqual(['call_once']);
    expect(await toolRequests(`${runId}:call_once`)).toBe(1);
    harness.app.model.assertComplete();
    await expectDeterministic('turn-retry-replays-steps', runId);
  });
});
