/**
 * The handoff orchestrator end to end through the real durable-functions replay: the local host's
 * durable engine (memory storage, virtual clock) runs the app's orchestrator and activities, and the
 * agent-turn activity calls a scripted model server over HTTP. Every run's recorded history is then
 * replayed from the start and must produce exactly the same actions at every episode.
 */
import { replayRecording } from '../../devhost/durable';
import type { WorkflowEvent } from '../../src/core/events';
import type { RunStatus } from '../../src/durable/wire/run-status';
import { sendUserReply } from '../../src/durable/send-user-reply';
import { closingEvents } from '../../src/durable/wire/run-closing';
import { executorTrail, OrchestratorHarness } from './support/orchestrator-harness';
import { handoffTo } from '../support/scripted-replies';

const harness = new OrchestratorHarness();
const replayed: string[] = [];

beforeAll(async () => {
  await harness.start();
});
afterAll(async () => {
  await harness.stop();
});

/** After each run: the history replays without divergence, and is saved as a fixture when recording. */
async function expectDeterministic(name: string, runId: string): Promise<void> {
  const recording = await harness.recording(runId);
  expect(recording.executions.length).toBeGreaterThan(0);
  const divergences = await replayRecording(harness.app.host.worker, recording);
  expect(divergences.map((d) => d.message)).toEqual([]);
  await harness.saveIfRecording(name, runId);
  replayed.push(name);
}

const ARTICLE_ANSWER =
  "I've located the package for order #12345; it will be delivered within 2 business days.";

/**
 * The article's run, autonomous: coordinator_agent hands off to shipping_agent, whose answer ends
 * it. Resolves once it completed so.
 */
async function runArticle(name: string) {
  harness.script([
    { agent: 'coordinator_agent', reply: handoffTo('shipping_agent') },
    { agent: 'shipping_agent', reply: { text: ARTICLE_ANSWER } },
  ]);
  const runId = await harness.startRun(name, {
    message: 'I never received my order #12345',
    mode: 'autonomous',
  });
  const output = await harness.finished(runId);
  expect(output).toMatchObject({ state: 'completed', stopReason: 'terminated_by_condition', turns: 2 });
  return { runId, output };
}

const ofType = <T extends WorkflowEvent['type']>(events: WorkflowEvent[], type: T) =>
  events.filter((e): e is Extract<WorkflowEvent, { type: T }> => e.type === type);

describe('handoff orchestrator', () => {
  it('runs the article: coordinator_agent hands off to shipping_agent, which resolves the issue', async () => {
    const { runId, output } = await runArticle('article');
    expect(await harness.conversation(runId)).toEqual([
      { role: 'user', authorName: 'user', text: 'I never received my order #12345' },
      { role: 'assistant', authorName: 'shipping_agent', text: ARTICLE_ANSWER },
    ]);
    const transcript = await harness.store.readMessages(runId, 4);
    expect(transcript.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(output.usage.coordinator_agent?.requests).toBe(1);
    const events = await harness.events(runId);
    expect(events[0]?.type).toBe('started');
    expect(executorTrail(events)).toEqual([
      '+input-conversation',
      '-input-conversation',
      '+coordinator_agent',
      '-coordinator_agent',
      '+handoff-coordinator',
      '-handoff-coordinator',
      '+shipping_agent',
      '-shipping_agent',
      '+handoff-coordinator',
      '-handoff-coordinator',
    ]);
    expect(events.slice(-2).map((e) => e.type)).toEqual(['status', 'output']);
    expect(events.at(-2)).toMatchObject({ type: 'status', state: 'completed' });
    harness.app.model.assertComplete();
    await expectDeterministic('article', runId);
  });

  it('chains refund_agent -> technical_agent -> senior_technical_agent along the declared edges', async () => {
    harness.script([
      { agent: 'coordinator_agent', reply: handoffTo('refund_agent') },
      { agent: 'refund_agent', reply: handoffTo('technical_agent') },
      { agent: 'technical_agent', reply: handoffTo('senior_technical_agent') },
      { agent: 'senior_technical_agent', reply: { text: 'The sync bug is fixed; your refund follows.' } },
    ]);
    const runId = await harness.startRun('chain', {
      message: 'Refund me, the app keeps crashing',
      mode: 'autonomous',
    });
    const output = await harness.finished(runId);
    expect(output).toMatchObject({ stopReason: 'terminated_by_condition', turns: 4 });
    const hops = ofType(await harness.events(runId), 'handoff_sent').map((e) => `${e.source}->${e.target}`);
    expect(hops).toEqual([
      'coordinator_agent->refund_agent',
      'refund_agent->technical_agent',
      'technical_agent->senior_technical_agent',
    ]);
    const technicalTools = harness.app.model.requests.find((r) => r.agent === 'technical_agent')?.toolNames;
    expect(technicalTools).toEqual(['handoff_to_senior_technical_agent']);
    await expectDeterministic('chain', runId);
  });

  it('asks the human once and gives the reply to the agent that asked', async () => {
    harness.script([
      {
        agent: 'coordinator_agent',
        reply: { text: 'Is this about a refund, a delivery or a technical problem?' },
      },
      { agent: 'coordinator_agent', reply: handoffTo('shipping_agent') },
      { agent: 'shipping_agent', reply: { text: 'Found it: it will be delivered tomorrow.' } },
    ]);
    const runId = await harness.startRun('one-reply', { message: 'Hello', mode: 'human_in_loop' });
    const request = await harness.awaitingInput(runId);
    expect(request.agent).toBe('coordinator_agent');
    await harness.reply(runId, 'My parcel never came', request.requestId);
    await harness.finished(runId);
    expect((await harness.conversation(runId)).map((m) => `${m.authorName}: ${m.text}`)).toEqual([
      'user: Hello',
      'coordinator_agent: Is this about a refund, a delivery or a technical problem?',
      'user: My parcel never came',
      'shipping_agent: Found it: it will be delivered tomorrow.',
    ]);
    const events = await harness.events(runId);
    expect(ofType(events, 'request_info')).toHaveLength(1);
    expect(ofType(events, 'user_message').at(-1)).toMatchObject({
      text: 'My parcel never came',
      requestId: request.requestId,
    });
    await expectDeterministic('one-reply', runId);
  });

  it('takes two replies in a row for the specialist that asks, without going back to the coordinator', async () => {
    harness.script([
      { agent: 'coordinator_agent', reply: handoffTo('refund_agent') },
      { agent: 'refund_agent', reply: { text: 'Which order should I refund?' } },
      { agent: 'refund_agent', reply: { text: 'Why do you want to return it?' } },
      { agent: 'refund_agent', reply: { text: 'Order 7 has been refunded.' } },
    ]);
    const runId = await harness.startRun('two-replies', {
      message: 'I want my money back',
      mode: 'human_in_loop',
    });
    const first = await harness.awaitingInput(runId);
    await harness.reply(runId, 'Order 7', first.requestId);
    const second = await harness.settle(runId, (s) => {
      const pending = (s.customStatus as { pendingRequest?: { requestId: string } | null } | null)
        ?.pendingRequest;
      return pending !== undefined && pending !== null && pending.requestId !== first.requestId;
    });
    const secondRequest = (second.customStatus as { pendingRequest: { requestId: string; agent: string } })
      .pendingRequest;
    expect(secondRequest.agent).toBe('refund_agent');
    await harness.reply(runId, 'It arrived broken', secondRequest.requestId);
    const output = await harness.finished(runId);
    expect(output).toMatchObject({ stopReason: 'terminated_by_condition', turns: 4 });
    expect(harness.app.model.requests.filter((r) => r.agent === 'coordinator_agent')).toHaveLength(1);
    const lastRefundCall = harness.app.model.requests.filter((r) => r.agent === 'refund_agent').at(-1);
    expect(lastRefundCall?.lastUserText).toBe('It arrived broken');
    await expectDeterministic('two-replies', runId);
  });

  it('keeps a reply that arrives before the run waits and delivers it at the wait', async () => {
    harness.script([
      { agent: 'coordinator_agent', reply: { delayMs: 300, then: { text: 'What can I do for you?' } } },
      { agent: 'coordinator_agent', reply: handoffTo('shipping_agent') },
      { agent: 'shipping_agent', reply: { text: 'It will be delivered on Monday.' } },
    ]);
    const runId = await harness.startRun('reply-before-wait', { message: 'Hi', mode: 'human_in_loop' });
    await harness.app.model.waitForRequests(1, { timeoutMs: 10_000 });
    await harness.reply(runId, 'Where is my parcel?'); // no requestId: whichever request opens next
    await harness.finished(runId);
    expect((await harness.conversation(runId)).map((m) => m.text)).toEqual([
      'Hi',
      'What can I do for you?',
      'Where is my parcel?',
      'It will be delivered on Monday.',
    ]);
    await expectDeterministic('reply-before-wait', runId);
  });

  it('ignores a stale reply with a warning and continues with the right one', async () => {
    harness.script([
      { agent: 'coordinator_agent', reply: { text: 'How can I help?' } },
      { agent: 'coordinator_agent', reply: handoffTo('shipping_agent') },
      { agent: 'shipping_agent', reply: { text: 'Your order will be delivered today.' } },
    ]);
    const runId = await harness.startRun('stale-reply', { message: 'Hi', mode: 'human_in_loop' });
    const request = await harness.awaitingInput(runId);
    await harness.reply(runId, 'an answer to an old question', 'an-old-request-id');
    await harness.settle(runId, () => true);
    expect((await harness.status(runId)).runtimeStatus).toBe('Running');
    await harness.reply(runId, 'My order is missing', request.requestId);
    await harness.finished(runId);
    expect((await harness.conversation(runId)).map((m) => m.text)).not.toContain(
      'an answer to an old question',
    );
    const warnings = ofType(await harness.events(runId), 'warning');
    expect(warnings).toEqual([expect.objectContaining({ code: 'stale_reply' })]);
    await expectDeterministic('stale-reply', runId);
  });

  it('ends with reply_timeout when the human does not answer within the reply timeout', async () => {
    harness.script([{ agent: 'coordinator_agent', reply: { text: 'Can you tell me more?' } }]);
    const runId = await harness.startRun('reply-timeout', { message: 'Hi', mode: 'human_in_loop' });
    await harness.awaitingInput(runId);
    harness.clock.advance(24 * 60 * 60 * 1000 - 1000);
    await harness.engine.idle();
    expect((await harness.status(runId)).runtimeStatus).toBe('Running');
    harness.clock.advance(1000);
    const output = await harness.finished(runId);
    expect(output).toMatchObject({ state: 'completed', stopReason: 'reply_timeout', turns: 1 });
    await expectDeterministic('reply-timeout', runId);
  });

  it('ends by condition before the next turn when the human reply meets it, without calling the model', async () => {
    harness.script([{ agent: 'coordinator_agent', reply: { text: 'How can I help?' } }]);
    const runId = await harness.startRun('terminated-by-reply', { message: 'Hi', mode: 'human_in_loop' });
    const request = await harness.awaitingInput(runId);
    await harness.reply(runId, 'Never mind, it is resolved now.', request.requestId);
    const output = await harness.finished(runId);
    expect(output).toMatchObject({ stopReason: 'terminated_by_condition', turns: 1 });
    expect(harness.app.model.requests).toHaveLength(1);
    await expectDeterministic('terminated-by-reply', runId);
  });

  it('stops at the turn cap with turn_limit', async () => {
    harness.script([
      { agent: 'coordinator_agent', reply: handoffTo('refund_agent') },
      { agent: 'refund_agent', reply: { text: 'Let me look into that.' }, repeat: true },
    ]);
    const runId = await harness.startRun(
      'turn-limit',
      { message: 'Money back please', mode: 'autonomous' },
      (input) => ({
        ...input,
        plan: { ...input.plan, maxTurns: 3 },
      }),
    );
    const output = await harness.finished(runId);
    expect(output).toMatchObject({ stopReason: 'turn_limit', turns: 3 });
    await expectDeterministic('turn-limit', runId);
  });

  it('continues an agent autonomously up to its turn limit, then asks the human', async () => {
    harness.script([
      { agent: 'coordinator_agent', reply: handoffTo('technical_agent') },
      { agent: 'technical_agent', reply: { text: 'Step: restart the router.' }, repeat: true },
    ]);
    const runId = await harness.startRun(
      'autonomous-limit',
      { message: 'My internet is down', mode: 'autonomous' },
      (input) => ({
        ...input,
        plan: {
          ...input.plan,
          autonomous: {
            ...input.plan.autonomous,
            technical_agent: { enabled: true, prompt: 'Keep going.', turnLimit: 1 },
          },
        },
      }),
    );
    const request = await harness.awaitingInput(runId);
    expect(request.agent).toBe('technical_agent');
    const synthetic = ofType(await harness.events(runId), 'user_message').filter((e) => e.synthetic);
    expect(synthetic.map((e) => e.text)).toEqual(['Keep going.']);
    await harness.cancel(runId);
    const output = await harness.finished(runId);
    expect(output).toMatchObject({ state: 'terminated', stopReason: 'cancelled', turns: 3 });
    expect((await harness.conversation(runId)).filter((m) => m.synthetic)).toHaveLength(1);
    await expectDeterministic('autonomous-limit', runId);
  });

  it('continues as new mid-conversation without losing a reply raised in the episode that continues', async () => {
    harness.script([
      { agent: 'coordinator_agent', reply: { delayMs: 300, then: handoffTo('refund_agent') } },
      { agent: 'refund_agent', reply: { text: 'Which order?' } },
      { agent: 'refund_agent', reply: { text: 'Order 9 has been refunded.' } },
    ]);
    const runId = await harness.startRun(
      'continue-as-new',
      { message: 'Refund please', mode: 'human_in_loop' },
      (input) => ({
        ...input,
        plan: { ...input.plan, continueAsNewEvery: 1 },
      }),
    );
    await harness.app.model.waitForRequests(1, { timeoutMs: 10_000 });
    // Raised while the coordinator's turn runs: buffered in generation 1, which then continues as new.
    await harness.reply(runId, 'Order 9');
    await harness.finished(runId);
    expect((await harness.conversation(runId)).map((m) => m.text)).toEqual([
      'Refund please',
      'Which order?',
      'Order 9',
      'Order 9 has been refunded.',
    ]);
    const recording = await harness.recording(runId);
    expect(recording.executions.length).toBeGreaterThanOrEqual(3);
    const events = await harness.events(runId);
    expect(ofType(events, 'started')).toHaveLength(1);
    expect(ofType(events, 'user_message').map((e) => e.text)).toEqual(['Refund please', 'Order 9']);
    await expectDeterministic('continue-as-new', runId);
  });

  it('keeps a run instance data under its nonce and finds a reply stored there after a continue-as-new', async () => {
    harness.script([
      { agent: 'coordinator_agent', reply: { delayMs: 300, then: handoffTo('refund_agent') } },
      { agent: 'refund_agent', reply: { text: 'Which order?' } },
      { agent: 'refund_agent', reply: { text: 'Order 9 has been refunded.' } },
    ]);
    const nonce = 'N0nceN0nceN0nceN0nce01';
    const runId = await harness.startRun(
      'instance-keyed',
      { message: 'Refund please', mode: 'human_in_loop' },
      (input) => ({ ...input, nonce, plan: { ...input.plan, continueAsNewEvery: 1 } }),
    );
    await harness.app.model.waitForRequests(1, { timeoutMs: 10_000 });
    // sendUserReply reads the run's nonce from its status to store the reply with the run's data;
    // the next generation finds it there.
    const engine = harness.engine.client;
    await sendUserReply(
      { ...harness.client, getStatus: (id, options) => engine.getStatus(id, options) },
      harness.store,
      runId,
      { message: 'Order 9' },
    );
    await harness.finished(runId);
    expect((await harness.conversation(`${runId}.${nonce}`)).map((m) => m.text)).toEqual([
      'Refund please',
      'Which order?',
      'Order 9',
      'Order 9 has been refunded.',
    ]);
    expect(await harness.store.readEvents(runId, 0)).toEqual([]);
    expect(((await harness.status(runId)).customStatus as RunStatus).nonce).toBe(nonce);
    expect((await harness.recording(runId)).executions.length).toBeGreaterThanOrEqual(3);
  });

  it('retries a retryable model failure with backoff and then succeeds', async () => {
    harness.script([
      { agent: 'coordinator_agent', reply: { status: 503, body: { error: { message: 'overloaded' } } } },
      {
        agent: 'coordinator_agent',
        reply: { status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'slow down' } } },
      },
      { agent: 'coordinator_agent', reply: handoffTo('shipping_agent') },
      { agent: 'shipping_agent', reply: { text: 'It will be delivered tomorrow.' } },
    ]);
    const runId = await harness.startRun('turn-retry-then-success', {
      message: 'Where is my order?',
      mode: 'autonomous',
    });
    const output = await harness.finished(runId, { advanceTimersUpToMs: 60_000 });
    expect(output).toMatchObject({ state: 'completed', stopReason: 'terminated_by_condition', turns: 2 });
    expect(harness.app.model.requests.filter((r) => r.agent === 'coordinator_agent')).toHaveLength(3);
    // Each retry is a warning in the run's log: which attempt comes next, of how many, and when.
    const warnings = ofType(await harness.events(runId), 'warning');
    expect(warnings.map((w) => [w.code, w.retry])).toEqual([
      ['model_retry', { attempt: 2, of: 5, inMs: 2000 }],
      ['model_retry', { attempt: 3, of: 5, inMs: 4000 }],
    ]);
    expect(warnings[0]?.message).toMatch(
      /^The model is not answering \(server_error: the model answered HTTP 503/,
    );
    expect(warnings.map((w) => w.message).join()).not.toContain(harness.app.model.baseUrl);
    await expectDeterministic('turn-retry-then-success', runId);
  });

  it('ends with stopReason error on a permanent failure and keeps the conversation so far', async () => {
    harness.script([
      { agent: 'coordinator_agent', reply: handoffTo('shipping_agent') },
      {
        agent: 'shipping_agent',
        reply: { status: 401, body: { error: { message: 'Incorrect API key provided' } } },
      },
    ]);
    const runId = await harness.startRun('permanent-failure', {
      message: 'Where is my order?',
      mode: 'autonomous',
    });
    const output = await harness.finished(runId);
    expect(output).toMatchObject({ state: 'failed', stopReason: 'error', error: { code: 'authentication' } });
    expect(await harness.conversation(runId)).toEqual([
      { role: 'user', authorName: 'user', text: 'Where is my order?' },
    ]);
    const transcript = await harness.store.readMessages(runId, 3);
    expect(transcript.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    await expect(harness.store.readMessages(runId, 4)).rejects.toThrow(/missing message 3/);
    expect(harness.app.model.requests.filter((r) => r.agent === 'shipping_agent')).toHaveLength(1);
    const events = await harness.events(runId);
    const [error] = ofType(events, 'error');
    expect(error).toMatchObject({ code: 'authentication' });
    // Token holders (a chat page's customers) learn that the model failed, not where it lives.
    expect(error?.message).toMatch(/^the model answered HTTP 401/);
    expect(error?.message).not.toContain(harness.app.model.baseUrl);
    expect(events.at(-2)).toMatchObject({ type: 'status', state: 'failed', stopReason: 'error' });
    await expectDeterministic('permanent-failure', runId);
  });

  it('keeps running on a redeployed definition from the next turn, with a warning', async () => {
    harness.script([
      { agent: 'coordinator_agent', reply: handoffTo('shipping_agent') },
      { agent: 'shipping_agent', reply: { text: 'It will be delivered tomorrow.' } },
    ]);
    const runId = await harness.startRun(
      'definition-changed',
      { message: 'Where is my order?', mode: 'autonomous' },
      (input) => ({
        ...input,
        plan: { ...input.plan, version: '0'.repeat(64) },
      }),
    );
    const output = await harness.finished(runId);
    expect(output.stopReason).toBe('terminated_by_condition');
    const warnings = ofType(await harness.events(runId), 'warning');
    expect(warnings).toEqual([expect.objectContaining({ code: 'definition_changed' })]);
    await expectDeterministic('definition-changed', runId);
  });

  it("shows agents earlier tool calls as the run's pinned plan says, not as the deployed definition does", async () => {
    harness.script([
      { agent: 'coordinator_agent', reply: handoffTo('shipping_agent') },
      { agent: 'shipping_agent', reply: { text: 'It will be delivered tomorrow.' } },
    ]);
    // The deployed customer_support drops handoff calls from what agents see ('handoff_only'); this
    // run was pinned to keep every tool call.
    const runId = await harness.startRun(
      'pinned-filtering',
      { message: 'Where is my order?', mode: 'autonomous' },
      (input) => ({ ...input, plan: { ...input.plan, toolCallFiltering: 'none' } }),
    );
    await harness.finished(runId);
    const shipping = harness.app.model.requests.find((request) => request.agent === 'shipping_agent');
    const seen = (shipping?.body.messages ?? []).map((message) => message.role);
    expect(seen).toEqual(['system', 'user', 'assistant', 'tool']);
    await expectDeterministic('pinned-filtering', runId);
  });

  it('cancels a run that waits for input, recording its closing events', async () => {
    harness.script([{ agent: 'coordinator_agent', reply: { text: 'Anything else?' } }]);
    const runId = await harness.startRun('cancelled', { message: 'Hi', mode: 'human_in_loop' });
    await harness.awaitingInput(runId);
    await harness.cancel(runId);
    const output = await harness.finished(runId);
    expect(output).toMatchObject({ state: 'terminated', stopReason: 'cancelled' });
    expect((await harness.events(runId)).at(-2)).toMatchObject({
      type: 'status',
      state: 'terminated',
      stopReason: 'cancelled',
    });
    await expectDeterministic('cancelled', runId);
  });

  it("writes each answer once, as the turn's own event, and never through the orchestration history", async () => {
    harness.script([
      { agent: 'coordinator_agent', reply: { text: 'Answer one: I am looking into it.' } },
      { agent: 'coordinator_agent', reply: { text: 'Answer two: your issue is resolved.' } },
    ]);
    const runId = await harness.startRun('answers-once', { message: 'Hi', mode: 'autonomous' });
    const output = await harness.finished(runId);
    expect(output).toMatchObject({ stopReason: 'terminated_by_condition', turns: 2 });
    const recording = await harness.recording(runId);
    const history = JSON.stringify(recording.executions.map((e) => e.episodes.at(-1)));
    expect(history).not.toContain('Answer one');
    expect(history).not.toContain('Answer two');
    const answers = ofType(await harness.events(runId), 'agent_response').map((e) => e.text);
    expect(answers).toEqual(['Answer one: I am looking into it.', 'Answer two: your issue is resolved.']);
  });

  it('runs a turn once: an attempt that finds it committed returns what was committed, without calling the model', async () => {
    harness.script([
      { agent: 'coordinator_agent', reply: handoffTo('shipping_agent') },
      { agent: 'shipping_agent', reply: { text: 'It was delivered this morning.' } },
    ]);
    const runId = await harness.startRun('turn-once', { message: 'Where is my order?', mode: 'autonomous' });
    await harness.finished(runId);
    const history = (await harness.recording(runId)).executions[0]!.episodes.at(-1)!.payload.history as {
      EventType: number;
      EventId: number;
      Name?: string;
      Input?: string;
      TaskScheduledId?: number;
      Result?: string;
    }[];
    const scheduled = history.find((e) => e.EventType === 4 && e.Name === 'handoffAgentTurn')!;
    const completed = history.find((e) => e.EventType === 5 && e.TaskScheduledId === scheduled.EventId)!;
    const before = { requests: harness.app.model.requests.length, events: await harness.events(runId) };

    const again = await harness.invokeActivity('handoffAgentTurn', JSON.parse(scheduled.Input!)[0]);

    expect(again).toEqual(JSON.parse(completed.Result!));
    expect(harness.app.model.requests).toHaveLength(before.requests);
    expect(await harness.events(runId)).toEqual(before.events);
  });

  it("cancels a run while an agent turn runs: the turn's late answer is never shown", async () => {
    harness.script([
      { agent: 'coordinator_agent', reply: { delayMs: 500, then: { text: 'A late answer.' } } },
    ]);
    const runId = await harness.startRun('cancelled-during-turn', { message: 'Hi', mode: 'human_in_loop' });
    await harness.app.model.waitForRequests(1, { timeoutMs: 10_000 });
    await harness.cancel(runId);
    const output = await harness.finished(runId);
    expect(output).toMatchObject({ stopReason: 'cancelled', turns: 0 });
    await harness.engine.idle(); // waits for the abandoned attempt too: it has tried to write by now
    const events = await harness.events(runId);
    expect(ofType(events, 'agent_response')).toEqual([]);
    expect(events.map((e) => e.type).slice(-3)).toEqual(['warning', 'status', 'output']);
    const firstSeq = ofType(events, 'executor_invoked').at(-1)!.seq + 1;
    expect(await harness.store.readTurnSlot(runId, firstSeq)).toEqual({ kind: 'closed' });
    expect(await harness.conversation(runId)).toEqual([{ role: 'user', authorName: 'user', text: 'Hi' }]);
    await expectDeterministic('cancelled-during-turn', runId);
  });

  it('keeps a turn that committed just before the run was cancelled: the closing events follow its events', async () => {
    harness.script([{ agent: 'coordinator_agent', reply: { delayMs: 500, then: { text: 'Slow answer.' } } }]);
    const runId = await harness.startRun('committed-before-cancel', { message: 'Hi', mode: 'human_in_loop' });
    await harness.app.model.waitForRequests(1, { timeoutMs: 10_000 });
    // Another attempt of the same turn committed while this one waits on the model.
    const firstSeq = ((await harness.status(runId)).customStatus as RunStatus).lastSeq + 1;
    const at = harness.clock.now().toISOString();
    const answer = { role: 'assistant', authorName: 'coordinator_agent', text: 'Committed answer.' } as const;
    await harness.store.saveMessages(runId, 1, [answer]);
    const turnEvents: WorkflowEvent[] = [
      { type: 'agent_response', agent: 'coordinator_agent', text: answer.text },
      { type: 'executor_completed', executorId: 'coordinator_agent' },
      { type: 'executor_invoked', executorId: 'handoff-coordinator' },
      { type: 'executor_completed', executorId: 'handoff-coordinator' },
    ].map((event, i) => ({ ...event, seq: firstSeq + i, timestamp: at }) as WorkflowEvent);
    const usage = { promptTokens: 3, completionTokens: 2, totalTokens: 5, requests: 1 };
    const turn = {
      kind: 'completed',
      messageCount: 1,
      events: 4,
      decision: { kind: 'respond' },
      terminate: false,
      usage,
      prompt: answer.text,
    };
    expect(
      await harness.store.commitTurn(runId, firstSeq, turnEvents, {
        output: { ok: true, turn },
        messages: [answer],
      }),
    ).toBe(true);
    await harness.cancel(runId);
    const output = await harness.finished(runId);
    expect(output).toMatchObject({ stopReason: 'cancelled', turns: 1, usage: { coordinator_agent: usage } });
    await harness.engine.idle();
    const events = await harness.events(runId);
    expect(events.slice(firstSeq - 1).map((e) => e.type)).toEqual([
      'agent_response',
      'executor_completed',
      'executor_invoked',
      'executor_completed',
      'warning',
      'status',
      'output',
    ]);
    expect(ofType(events, 'agent_response').map((e) => e.text)).toEqual(['Committed answer.']);
    expect(await harness.conversation(runId)).toEqual([
      { role: 'user', authorName: 'user', text: 'Hi' },
      { role: 'assistant', authorName: 'coordinator_agent', text: 'Committed answer.' },
    ]);
    // The slower attempt found the turn committed and put its messages back.
    expect(await harness.store.readMessages(runId, 2)).toEqual([{ role: 'user', text: 'Hi' }, answer]);
    await expectDeterministic('committed-before-cancel', runId);
  });

  it('keeps the end of a run that a turn stored just before the run was cancelled: the run ended there', async () => {
    harness.script([{ agent: 'coordinator_agent', reply: { delayMs: 500, then: { text: 'Slow answer.' } } }]);
    const runId = await harness.startRun('closed-before-cancel', { message: 'Hi', mode: 'human_in_loop' });
    await harness.app.model.waitForRequests(1, { timeoutMs: 10_000 });
    // Another attempt of the same turn committed, ending the run by its condition, while this one waits.
    const firstSeq = ((await harness.status(runId)).customStatus as RunStatus).lastSeq + 1;
    const at = harness.clock.now().toISOString();
    const answer = { role: 'assistant', authorName: 'coordinator_agent', text: 'Resolved.' } as const;
    const turnEvents: WorkflowEvent[] = [
      { type: 'agent_response', agent: 'coordinator_agent', text: answer.text },
      { type: 'executor_completed', executorId: 'coordinator_agent' },
    ].map((event, i) => ({ ...event, seq: firstSeq + i, timestamp: at }) as WorkflowEvent);
    const conversation = [
      { role: 'user', authorName: 'user', text: 'Hi' },
      { role: 'assistant', authorName: 'coordinator_agent', text: 'Resolved.' },
    ] as const;
    const closing = closingEvents(firstSeq + 2, at, 'terminated_by_condition', [...conversation]);
    const usage = { promptTokens: 3, completionTokens: 2, totalTokens: 5, requests: 1 };
    const turn = {
      kind: 'completed',
      messageCount: 1,
      events: 2,
      decision: { kind: 'respond' },
      terminate: true,
      usage,
      closedRun: true,
    };
    expect(
      await harness.store.commitTurn(
        runId,
        firstSeq,
        turnEvents,
        { output: { ok: true, turn }, messages: [answer] },
        [],
        { messages: { at: 1, messages: [answer] }, closing },
      ),
    ).toBe(true);
    await harness.cancel(runId);
    const output = await harness.finished(runId);
    expect(output).toMatchObject({
      state: 'completed',
      stopReason: 'terminated_by_condition',
      turns: 1,
      usage: { coordinator_agent: usage },
    });
    expect(output).not.toHaveProperty('error');
    await harness.engine.idle();
    const events = await harness.events(runId);
    // The cancel came after the run's end: it wrote nothing.
    expect(events.slice(firstSeq - 1)).toEqual([...turnEvents, ...closing]);
    expect(ofType(events, 'warning')).toEqual([]);
    expect(await harness.conversation(runId)).toEqual(conversation);
    expect(await harness.store.readPreview(runId)).toBeUndefined();
    await expectDeterministic('closed-before-cancel', runId);
  });

  it("ends a run by its condition with the closing events in the last turn's commit: no finish activity runs", async () => {
    const { runId } = await runArticle('closed-by-turn');
    const recording = await harness.recording(runId);
    const history = recording.executions.at(-1)!.episodes.at(-1)!.payload.history as {
      EventType: number;
      Name?: string;
    }[];
    expect(history.filter((e) => e.EventType === 4).map((e) => e.Name)).toEqual([
      'handoffAgentTurn',
      'handoffAgentTurn',
    ]);
    const events = await harness.events(runId);
    expect(events.map((e) => e.type).slice(-2)).toEqual(['status', 'output']);
    expect(ofType(events, 'agent_response').map((e) => e.text)).toEqual([ARTICLE_ANSWER]);
    const status = (await harness.status(runId)).customStatus as RunStatus;
    expect(status).toMatchObject({ state: 'completed', stopReason: 'terminated_by_condition', turn: 2 });
    expect(status.lastSeq).toBe(events.at(-1)!.seq);
    expect(await harness.conversation(runId)).toEqual([
      { role: 'user', authorName: 'user', text: 'I never received my order #12345' },
      { role: 'assistant', authorName: 'shipping_agent', text: ARTICLE_ANSWER },
    ]);
    await expectDeterministic('closed-by-turn', runId);
  });

  it('fails fast with a clear error for an unknown workflow', async () => {
    const runId = await harness.startRun('unknown-workflow', { message: 'Hi' }, (input) => ({
      ...input,
      plan: { ...input.plan, workflow: 'no_such_workflow' },
    }));
    const status = await harness.settle(runId, (s) => s.runtimeStatus === 'Failed');
    expect(String(status.output)).toContain(
      "Unknown workflow 'no_such_workflow'. Registered workflows: customer_support.",
    );
  });

  it('replayed every recorded history', () => {
    expect(replayed.length).toBeGreaterThanOrEqual(14);
  });
});
