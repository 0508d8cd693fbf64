/**
 * The app's handoff workflow on both durable engines: the sample's customer_support workflow
 * (tests/fixtures/apps/engine-handoff-app: the sample's agents, edges, tools and termination, with
 * a 3 s reply timeout and continue-as-new every 2 turns, reachable in real time) on the local host
 * against the scripted model server, driven over the app's HTTP API. Each scenario asserts the same
 * run results on both engines, and the real engine's event log (times and ids aside) must equal the
 * emulation's from the same file run. The real-engine cases skip, saying why, without .NET.
 */
import path from 'node:path';
import type { EngineKind } from '../../../devhost/host';
import type { WorkflowEvent } from '../../../src/core/events';
import type { RunHandle } from '../../../src/client/api-schemas';
import { request } from '../../support/api-client';
import { ARTICLE_RUN, TWO_REPLIES_RUN } from '../../support/customer-support-runs';
import { startRunOver, statusWhen as runStatusWhen } from '../../support/run-over-http';
import { handoffTo } from '../../support/scripted-replies';
import { startAppHost, type AppHost } from '../../support/app-host';
import { ARTICLE_SEQUENCE, executorSequence, oneTo } from '../../support/event-sequence';
import { enginesHere } from './engine-host';

const APP_DIR = path.join(__dirname, '../../fixtures/apps/engine-handoff-app');
/** The real engine polls its queues: a turn takes seconds there. */
const DEADLINE_MS = 60_000;

type Started = RunHandle;
type Pending = { requestId: string; agent: string; prompt: string; kind: string };
type Status = {
  state: string;
  stopReason?: string;
  activeAgent: string;
  turn: number;
  pendingRequest: Pending | null;
  conversation: Array<{ role: string; authorName: string; text: string }>;
};

/** An event without what differs run to run (times, ids): what both engines must agree on. */
function comparable(event: WorkflowEvent): Record<string, unknown> {
  const out: Record<string, unknown> = { ...event };
  for (const key of ['timestamp', 'requestId', 'runId']) delete out[key];
  return out;
}

/** The emulation's event logs of this file run, by scenario, for the real engine's to equal. */
const emulatedLogs = new Map<string, Record<string, unknown>[]>();

describe.each(enginesHere())('the handoff workflow on the %s engine', (engine: EngineKind) => {
  let app: AppHost;

  beforeAll(async () => {
    app = await startAppHost({ appDir: APP_DIR, engine });
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(() => app.model.reset());

  const startRun = (body: Record<string, unknown>): Promise<Started> => startRunOver(app.api, body);
  const statusWhen = (run: Started, what: string, predicate: (s: Status) => boolean) =>
    runStatusWhen<Status>(run, `${engine}: ${what}`, predicate, { timeoutMs: DEADLINE_MS, intervalMs: 100 });

  function question(run: Started, what: string, after?: Pending): Promise<Status> {
    return statusWhen(
      run,
      what,
      (s) => s.state === 'awaiting_input' && s.pendingRequest?.requestId !== after?.requestId,
    );
  }

  /** The run's event log: complete (seq 1..n), and on the real engine equal to the emulation's. */
  async function checkedEvents(scenario: string, run: Started): Promise<WorkflowEvent[]> {
    const events = (await request<{ events: WorkflowEvent[] }>(run.eventsUri, { token: run.token })).body
      .events;
    expect(events.map((e) => e.seq)).toEqual(oneTo(events.length));
    if (engine === 'emulated') emulatedLogs.set(scenario, events.map(comparable));
    else {
      const emulated = emulatedLogs.get(scenario);
      if (emulated === undefined)
        throw new Error(`Run the whole file: the emulation's "${scenario}" log is missing.`);
      expect(events.map(comparable)).toEqual(emulated);
    }
    app.model.assertComplete();
    return events;
  }

  it("runs the article's autonomous handoff from coordinator_agent to shipping_agent", async () => {
    app.model.addSteps(...ARTICLE_RUN.steps);
    const run = await startRun(ARTICLE_RUN.start);
    const done = await statusWhen(run, 'completion', (s) => s.state === 'completed');
    expect(done).toMatchObject(ARTICLE_RUN.completed);
    expect(executorSequence(await checkedEvents('article', run))).toEqual(ARTICLE_SEQUENCE);
  });

  it('runs a human-in-the-loop conversation with two replies across continue-as-new', async () => {
    app.model.addSteps(...TWO_REPLIES_RUN.steps);
    const run = await startRun(TWO_REPLIES_RUN.start);
    const first = await question(run, 'the first question');
    expect(first.pendingRequest).toMatchObject(TWO_REPLIES_RUN.firstQuestion);
    const reply1 = await request(run.respondUri, {
      token: run.token,
      body: { message: TWO_REPLIES_RUN.replies[0], requestId: first.pendingRequest!.requestId },
    });
    expect(reply1.status).toBe(202);
    const second = await question(run, 'the second question', first.pendingRequest!);
    expect(second.turn).toBe(3);
    expect(
      (await request(run.respondUri, { token: run.token, body: { message: TWO_REPLIES_RUN.replies[1] } }))
        .status,
    ).toBe(202);
    const done = await statusWhen(run, 'completion', (s) => s.state === 'completed');
    expect(done).toMatchObject({ stopReason: 'terminated_by_condition', turn: 4 });
    expect(done.conversation.map((m) => `${m.authorName}: ${m.text}`)).toEqual(TWO_REPLIES_RUN.transcript);
    // Continued as new after every 2 turns: the instance's current input carries the run's state.
    const instance = await request<{ input: unknown }>(
      `${app.host.baseUrl}/runtime/webhooks/durabletask/instances/${run.runId}`,
      { headers: { 'x-functions-key': app.host.masterKey } },
    );
    const input = (
      typeof instance.body.input === 'string' ? JSON.parse(instance.body.input) : instance.body.input
    ) as { carried?: { generation: number; turn: number } };
    expect(input.carried).toMatchObject({ generation: 2, turn: 2 });
    await checkedEvents('two-replies', run);
  });

  it('answers 202 to one of many concurrent starts of one run id and run_exists or run_starting to the others', async () => {
    app.model.addSteps({ agent: 'coordinator_agent', reply: { text: 'How can I help?' } });
    const runId = `concurrent-${engine}`;
    const answers = await Promise.all(
      Array.from({ length: 12 }, () =>
        request<Started & { error?: { code: string; message: string } }>(
          `${app.api}/workflows/customer_support/run`,
          { body: { message: 'Hello', runId }, headers: { 'x-functions-key': app.host.functionKey } },
        ),
      ),
    );
    expect(answers.filter((a) => a.status === 202)).toHaveLength(1);
    // The others came while the winner's start was under way (no instance yet: retry later) or
    // after it (the run exists); never a second start.
    for (const refused of answers.filter((a) => a.status !== 202)) {
      expect([
        { status: 409, code: 'run_exists' },
        { status: 503, code: 'run_starting' },
      ]).toContainEqual({ status: refused.status, code: refused.body.error?.code });
    }
    // The one run started is the one whose token the 202 handed out.
    const run = answers.find((a) => a.status === 202)!.body;
    const asked = await question(run, 'the question');
    expect(asked.conversation.map((m) => m.text)).toEqual(['Hello', 'How can I help?']);
  });

  it('ends the run with reply_timeout when nobody answers within the reply timeout', async () => {
    app.model.addSteps({ agent: 'coordinator_agent', reply: { text: 'How can I help?' } });
    const run = await startRun({ message: 'Hello' });
    await question(run, 'the question');
    const done = await statusWhen(run, 'the reply timeout', (s) => s.state === 'completed');
    expect(done).toMatchObject({ stopReason: 'reply_timeout', turn: 1, pendingRequest: null });
    await checkedEvents('reply-timeout', run);
  });

  it('cancels a run that waits for a reply', async () => {
    app.model.addSteps({ agent: 'coordinator_agent', reply: { text: 'How can I help?' } });
    const run = await startRun({ message: 'Hello' });
    await question(run, 'the question');
    expect((await request(run.terminateUri, { token: run.token, method: 'POST' })).status).toBe(202);
    const done = await statusWhen(run, 'cancellation', (s) => s.state === 'terminated');
    expect(done).toMatchObject({ stopReason: 'cancelled', turn: 1 });
    await checkedEvents('cancelled', run);
  });

  it('runs a tool once a human approves the call', async () => {
    app.model.addSteps(
      { agent: 'coordinator_agent', reply: handoffTo('refund_agent') },
      {
        agent: 'refund_agent',
        reply: {
          toolCalls: [{ name: 'issue_refund', arguments: { orderId: '12345', amount: 5 }, id: 'call_api' }],
        },
      },
      { agent: 'refund_agent', reply: { text: 'I have refunded 5 USD for order #12345.' } },
    );
    const run = await startRun({ message: 'Please refund 5 dollars of order #12345' });
    const asked = await question(run, 'the approval request');
    expect(asked.pendingRequest).toMatchObject({ kind: 'tool_approval', agent: 'refund_agent' });
    const approved = await request(run.respondUri, {
      token: run.token,
      body: { requestId: asked.pendingRequest!.requestId, approval: { approved: true } },
    });
    expect(approved.status).toBe(202);
    const done = await statusWhen(run, 'completion', (s) => s.state === 'completed');
    expect(done.stopReason).toBe('terminated_by_condition');
    const events = await checkedEvents('tool-approved', run);
    expect(
      events.flatMap((e) => (e.type === 'tool_call' || e.type === 'tool_result' ? [e.type] : [])),
    ).toEqual(['tool_call', 'tool_result']);
    expect(events.find((e) => e.type === 'tool_result')).toMatchObject({ tool: 'issue_refund', ok: true });
  });
});
