/**
 * Model faults through the scripted model server, one fresh run per fault, everything through the
 * app's public HTTP API on the local host. Each run either completes as a fault-free run would
 * (after Durable's retries: first after 2 s, backoff 2, 5 attempts) or ends with
 * `stopReason: "error"` and a clear error, keeps its conversation, and never hangs (every wait has
 * a named deadline shorter than the test's timeout).
 */
import { VirtualClock } from '../../devhost/durable';
import type { WorkflowEvent } from '../../src/core/events';
import type { ScriptReply, ScriptStep } from '../../src/testing';
import { startAppHost, type AppHost } from '../support/app-host';
import { FigureCounter, recordFigures } from './support/figures';
import { endWithNearTimers } from './support/virtual-time';
import {
  reply,
  runEvents,
  startRun,
  waitForEnd,
  waitForRequest,
  type ApiMessage,
  type RunStatusBody,
  type StartedRun,
} from './support/run-api';
import { handoffTo } from '../support/scripted-replies';

const MESSAGE = 'I never received my order #12345';
const SHIPPING_ANSWER =
  "I've located the package for order #12345; it will be delivered within 2 business days.";
const QUESTION = 'Which order is it about?';
const ORDER_REPLY = 'Order #12345, placed last Monday.';
/** The model client's timeout in this file: short, so a slow answer times out quickly. */
const MODEL_TIMEOUT_MS = 2_000;
/** The allowed targets of coordinator_agent, as the tool error must name them. */
const COORDINATOR_TARGETS = ['refund_agent', 'shipping_agent', 'technical_agent', 'senior_technical_agent'];

/** The conversation of the article run, which every recovered fault must end with. */
const ARTICLE_CONVERSATION: ApiMessage[] = [
  { role: 'user', authorName: 'user', text: MESSAGE },
  { role: 'assistant', authorName: 'shipping_agent', text: SHIPPING_ANSWER },
];

const counter = new FigureCounter();

afterAll(() => {
  recordFigures({ part: 'model-faults', figures: counter.figures, notes: [] });
});

/** Replaces the model script; `faults` is how many of the steps' answers are injected faults. */
function script(app: AppHost, faults: number, steps: ScriptStep[]): void {
  app.model.reset();
  app.model.addSteps(...steps);
  counter.add({ faultsInjected: faults });
}

/** Starts a run and counts it. */
async function start(app: AppHost, mode: 'autonomous' | 'human_in_loop'): Promise<StartedRun> {
  counter.add({ runs: 1 });
  return startRun(app.api, { message: MESSAGE, mode });
}

/** After a run: the model script was used exactly, and the model requests are counted. */
function modelAgents(app: AppHost): string[] {
  app.model.assertComplete();
  counter.add({ modelRequests: app.model.requests.length });
  return app.model.requests.map((request) => request.agent ?? '?');
}

function ofType<T extends WorkflowEvent['type']>(
  events: readonly WorkflowEvent[],
  type: T,
): Extract<WorkflowEvent, { type: T }>[] {
  return events.filter((e): e is Extract<WorkflowEvent, { type: T }> => e.type === type);
}

/** The codes of the retries the agent-turn activity logged, in order. */
function retriedCodes(app: AppHost): string[] {
  return app.logs.flatMap((entry) => {
    const match = /Agent turn \S+ of run \S+ failed with a retryable error \(([a-z_]+)\)/.exec(entry.message);
    return match ? [match[1]!] : [];
  });
}

/** Asks a question, takes the order reply: the conversation a later failure must keep. */
async function answerTheQuestion(app: AppHost, run: StartedRun): Promise<void> {
  const open = await waitForRequest(app.api, run, 20_000);
  expect(open).toMatchObject({ agent: 'coordinator_agent', prompt: QUESTION });
  expect((await reply(app.api, run, ORDER_REPLY, open.requestId)).status).toBe(202);
}

const KEPT_CONVERSATION: ApiMessage[] = [
  { role: 'user', authorName: 'user', text: MESSAGE },
  { role: 'assistant', authorName: 'coordinator_agent', text: QUESTION },
  { role: 'user', authorName: 'user', text: ORDER_REPLY },
];

describe('model faults on a real clock', () => {
  let app: AppHost;

  beforeAll(async () => {
    app = await startAppHost({ env: { MODEL_TIMEOUT_MS: String(MODEL_TIMEOUT_MS) } });
  });
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(() => {
    app.logs.length = 0;
  });

  /** Runs the article with `faults` answered first to coordinator_agent, and checks the recovery. */
  async function expectRecoveryFrom(faults: ScriptReply[], codes: string[]): Promise<RunStatusBody> {
    script(app, faults.length, [
      ...faults.map((reply): ScriptStep => ({ agent: 'coordinator_agent', reply })),
      { agent: 'coordinator_agent', reply: handoffTo('shipping_agent') },
      { agent: 'shipping_agent', reply: { text: SHIPPING_ANSWER } },
    ]);
    const run = await start(app, 'autonomous');
    // 2 s, 4 s... of retry waits plus the slow answers, with room for a loaded machine.
    const status = await waitForEnd(app.api, run, 30_000);
    expect(status).toMatchObject({
      state: 'completed',
      stopReason: 'terminated_by_condition',
      activeAgent: 'shipping_agent',
      conversation: ARTICLE_CONVERSATION,
    });
    expect(modelAgents(app)).toEqual([
      ...faults.map(() => 'coordinator_agent'),
      'coordinator_agent',
      'shipping_agent',
    ]);
    expect(retriedCodes(app)).toEqual(codes);
    const events = await runEvents(app.api, run);
    expect(ofType(events, 'error')).toEqual([]);
    expect(ofType(events, 'handoff_sent').map((e) => e.target)).toEqual(['shipping_agent']);
    return status;
  }

  it('retries a 429 with retry-after and completes with the fault-free conversation', async () => {
    await expectRecoveryFrom([{ status: 429, headers: { 'retry-after': '1' } }], ['rate_limited']);
  }, 45_000);

  it('retries a 500 and then a 503, and completes on the third attempt', async () => {
    await expectRecoveryFrom([{ status: 500 }, { status: 503 }], ['server_error', 'server_error']);
  }, 45_000);

  it('retries after the model server resets the connection', async () => {
    await expectRecoveryFrom([{ reset: true }], ['connection_error']);
  }, 45_000);

  it('retries an answer slower than MODEL_TIMEOUT_MS and completes', async () => {
    await expectRecoveryFrom(
      [{ delayMs: MODEL_TIMEOUT_MS * 3, then: { text: 'This answer comes too late.' } }],
      ['timeout'],
    );
  }, 45_000);

  it('retries a model that never answers once the client times out', async () => {
    await expectRecoveryFrom([{ hang: true }], ['timeout']);
  }, 45_000);

  it('retries a completion whose tool call is malformed (no function, no name)', async () => {
    const broken = {
      id: 'chatcmpl-broken-1',
      object: 'chat.completion',
      created: 0,
      model: 'scripted-model',
      choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1' }] } }],
    };
    await expectRecoveryFrom([{ status: 200, body: broken }], ['server_error']);
  }, 45_000);

  it('retries a 200 answer whose body is not JSON', async () => {
    await expectRecoveryFrom([{ status: 200, body: '{"choices": [' }], ['server_error']);
  }, 45_000);

  it('hands off despite malformed JSON arguments in the handoff call, with a warning', async () => {
    script(app, 1, [
      {
        agent: 'coordinator_agent',
        reply: { toolCalls: [{ name: 'handoff_to_shipping_agent', arguments: '{"reason": "late' }] },
      },
      { agent: 'shipping_agent', reply: { text: SHIPPING_ANSWER } },
    ]);
    const run = await start(app, 'autonomous');
    expect(await waitForEnd(app.api, run)).toMatchObject({
      state: 'completed',
      conversation: ARTICLE_CONVERSATION,
    });
    expect(modelAgents(app)).toEqual(['coordinator_agent', 'shipping_agent']);
    const events = await runEvents(app.api, run);
    expect(ofType(events, 'warning').map((e) => e.code)).toEqual(['invalid_handoff_arguments']);
    expect(ofType(events, 'handoff_sent')).toEqual([
      expect.objectContaining({ source: 'coordinator_agent', target: 'shipping_agent' }),
    ]);
  });

  it('answers a hallucinated handoff tool with an error naming the allowed targets, then follows the valid one', async () => {
    script(app, 1, [
      { agent: 'coordinator_agent', reply: handoffTo('billing_agent') },
      { agent: 'coordinator_agent', reply: handoffTo('shipping_agent') },
      { agent: 'shipping_agent', reply: { text: SHIPPING_ANSWER } },
    ]);
    const run = await start(app, 'autonomous');
    expect(await waitForEnd(app.api, run)).toMatchObject({
      state: 'completed',
      conversation: ARTICLE_CONVERSATION,
    });
    expect(modelAgents(app)).toEqual(['coordinator_agent', 'coordinator_agent', 'shipping_agent']);
    const correction = app.model.requests[1]!.body.messages.at(-1);
    expect(correction?.role).toBe('tool');
    expect(correction?.content).toBe(
      `Agent 'coordinator_agent' may not hand off to 'billing_agent'. Allowed targets: ${COORDINATOR_TARGETS.join(', ')}.`,
    );
    const events = await runEvents(app.api, run);
    expect(ofType(events, 'warning').map((e) => e.code)).toEqual(['invalid_handoff']);
    expect(ofType(events, 'handoff_sent').map((e) => e.target)).toEqual(['shipping_agent']);
  });

  it('ends with stopReason error after the bounded corrections and keeps the conversation when the model keeps inventing a handoff', async () => {
    script(app, 4, [
      { agent: 'coordinator_agent', reply: { text: QUESTION } },
      { agent: 'coordinator_agent', reply: handoffTo('billing_agent'), times: 4 },
    ]);
    const run = await start(app, 'human_in_loop');
    await answerTheQuestion(app, run);
    const status = await waitForEnd(app.api, run);
    expect(status).toMatchObject({
      state: 'failed',
      stopReason: 'error',
      activeAgent: 'coordinator_agent',
      conversation: KEPT_CONVERSATION,
      error: { code: 'model_behavior' },
    });
    expect(status.error?.message).toContain(
      "Agent 'coordinator_agent' kept making invalid tool calls: 4 responses in one turn were corrected (limit 3)",
    );
    expect(modelAgents(app)).toEqual(Array(5).fill('coordinator_agent'));
    const events = await runEvents(app.api, run);
    expect(ofType(events, 'handoff_sent')).toEqual([]);
    expect(ofType(events, 'error')).toEqual([expect.objectContaining({ code: 'model_behavior' })]);
  });

  it('treats an empty answer as an answer: warns empty_response and continues autonomously', async () => {
    script(app, 1, [
      { agent: 'coordinator_agent', reply: { text: '' } },
      { agent: 'coordinator_agent', reply: handoffTo('shipping_agent') },
      { agent: 'shipping_agent', reply: { text: SHIPPING_ANSWER } },
    ]);
    const run = await start(app, 'autonomous');
    const status = await waitForEnd(app.api, run);
    expect(status).toMatchObject({ state: 'completed', stopReason: 'terminated_by_condition' });
    expect(status.conversation).toEqual([
      ARTICLE_CONVERSATION[0],
      {
        role: 'user',
        authorName: 'user',
        text: 'User did not respond. Continue assisting autonomously.',
        synthetic: true,
      },
      ARTICLE_CONVERSATION[1],
    ]);
    expect(modelAgents(app)).toEqual(['coordinator_agent', 'coordinator_agent', 'shipping_agent']);
    const events = await runEvents(app.api, run);
    expect(ofType(events, 'warning').map((e) => e.code)).toEqual(['empty_response']);
    expect(ofType(events, 'agent_response').map((e) => e.agent)).toEqual(['shipping_agent']);
  });

  it('asks the human, with an empty_response warning, when the model answers nothing in human_in_loop mode', async () => {
    script(app, 1, [{ agent: 'coordinator_agent', reply: { text: '' } }]);
    const run = await start(app, 'human_in_loop');
    // The open request carries no prompt: the warning is the only trace of the empty answer.
    expect(await waitForRequest(app.api, run)).toMatchObject({ agent: 'coordinator_agent', prompt: '' });
    expect(modelAgents(app)).toEqual(['coordinator_agent']);
    const events = await runEvents(app.api, run);
    expect(ofType(events, 'warning').map((e) => e.code)).toEqual(['empty_response']);
    expect(ofType(events, 'agent_response')).toEqual([]);
  });

  it('ends with stopReason error at once, keeping the conversation, when the model answers 400', async () => {
    script(app, 1, [
      { agent: 'coordinator_agent', reply: { text: QUESTION } },
      { agent: 'coordinator_agent', reply: handoffTo('shipping_agent') },
      {
        agent: 'shipping_agent',
        reply: {
          status: 400,
          body: { error: { message: "Invalid value for 'tools'.", type: 'invalid_request_error' } },
        },
      },
    ]);
    const run = await start(app, 'human_in_loop');
    await answerTheQuestion(app, run);
    const status = await waitForEnd(app.api, run);
    expect(status).toMatchObject({
      state: 'failed',
      stopReason: 'error',
      activeAgent: 'shipping_agent',
      conversation: KEPT_CONVERSATION,
      error: { code: 'bad_request' },
    });
    expect(status.error?.message).toContain("answered HTTP 400: Invalid value for 'tools'");
    // Permanent: no retry, so exactly one request for shipping_agent.
    expect(modelAgents(app)).toEqual(['coordinator_agent', 'coordinator_agent', 'shipping_agent']);
    expect(retriedCodes(app)).toEqual([]);
  });

  it('ends with stopReason content_filter error when the model stops for the content filter', async () => {
    script(app, 1, [{ agent: 'coordinator_agent', reply: { text: '', finishReason: 'content_filter' } }]);
    const run = await start(app, 'autonomous');
    const status = await waitForEnd(app.api, run);
    expect(status).toMatchObject({
      state: 'failed',
      stopReason: 'error',
      conversation: [ARTICLE_CONVERSATION[0]],
      error: { code: 'content_filter' },
    });
    expect(modelAgents(app)).toEqual(['coordinator_agent']);
  });
});

describe('model faults that exhaust the retries (virtual clock)', () => {
  // Starts at the real time: run tokens are checked against the real clock, and a finished run's
  // tokens are revoked a day after its (virtual) end.
  const clock = new VirtualClock(new Date());
  let app: AppHost;

  beforeAll(async () => {
    app = await startAppHost({ clock, env: { MODEL_TIMEOUT_MS: String(MODEL_TIMEOUT_MS) } });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('ends with stopReason error after five attempts when the model keeps answering 503, keeping the conversation', async () => {
    script(app, 5, [
      { agent: 'coordinator_agent', reply: { text: QUESTION } },
      { agent: 'coordinator_agent', reply: handoffTo('shipping_agent') },
      { agent: 'shipping_agent', reply: { status: 503 }, times: 5 },
    ]);
    const run = await start(app, 'human_in_loop');
    await answerTheQuestion(app, run);
    const status = await endWithNearTimers(app, clock, run, 16_000);
    expect(status).toMatchObject({
      state: 'failed',
      stopReason: 'error',
      activeAgent: 'shipping_agent',
      conversation: KEPT_CONVERSATION,
      error: { code: 'server_error' },
    });
    expect(status.error?.message).toMatch(
      /^The agent turn failed on every attempt \(5\)\. Last error: .*answered HTTP 503/,
    );
    expect(modelAgents(app)).toEqual([
      'coordinator_agent',
      'coordinator_agent',
      ...Array(5).fill('shipping_agent'),
    ]);
    const events = await runEvents(app.api, run);
    expect(ofType(events, 'error')).toEqual([expect.objectContaining({ code: 'server_error' })]);
    expect(events.at(-1)).toMatchObject({ type: 'output', stopReason: 'error' });
    // Followers of the run see each retry coming; the console names the endpoint, the events do not.
    const retries = ofType(events, 'warning').filter((warning) => warning.code === 'model_retry');
    expect(retries.map((warning) => warning.retry)).toEqual(
      [2, 3, 4, 5].map((attempt, i) => ({ attempt, of: 5, inMs: 2000 * 2 ** i })),
    );
    expect(JSON.stringify(events)).not.toContain(app.model.baseUrl);
    const lines = app.logs
      .map((entry) => entry.message)
      .filter((message) => message.includes('failed with a retryable error'));
    expect(lines).toHaveLength(5);
    expect(lines[0]).toContain(`at ${app.model.baseUrl}`);
    expect(lines[0]).toContain('for shipping_agent; attempt 1 of 5, the next (2 of 5) in 2 s');
    expect(lines[4]).toContain('attempt 5 of 5, that was the last: the run ends with this error');
  });
});
