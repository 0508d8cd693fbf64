import { HandoffClient } from '../../src/client/handoff-client';
import type { WorkflowEvent } from '../../src/core/events';
import { startAppHost, type AppHost } from '../support/app-host';
import {
  ARTICLE_MESSAGE,
  COORDINATOR_QUESTION,
  REFUND_ANSWER,
  REFUND_QUESTION,
  SHIPPING_ANSWER,
  articleSteps,
  refundDialogueSteps,
} from './support/dialogues';
import { ARTICLE_SEQUENCE, executorSequence, oneTo } from '../support/event-sequence';

describe('HandoffClient against the app on the local host', () => {
  let app: AppHost;
  let client: HandoffClient;

  beforeAll(async () => {
    app = await startAppHost();
    client = new HandoffClient({ baseUrl: app.host.baseUrl });
  });
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(() => {
    app.model.reset();
  });

  it('lists customer_support with its coordinator, participants and handoff edges', async () => {
    const workflows = await client.listWorkflows();
    const support = workflows.find((w) => w.name === 'customer_support');
    expect(support).toMatchObject({ startAgent: 'coordinator_agent', interactionMode: 'human_in_loop' });
    expect(support?.participants.map((p) => p.name)).toContain('shipping_agent');
    expect(support?.edges).toContainEqual(
      expect.objectContaining({ source: 'shipping_agent', target: 'refund_agent' }),
    );
  });

  it("streams the article's run to its output: coordinator_agent hands off to shipping_agent, which resolves it", async () => {
    app.model.addSteps(...articleSteps());
    const stream = client.runStream('customer_support', ARTICLE_MESSAGE, { mode: 'autonomous' });
    const events: WorkflowEvent[] = [];
    for await (const event of stream) events.push(event);

    expect(events.map((e) => e.seq)).toEqual(oneTo(events.length));
    expect(executorSequence(events)).toEqual(ARTICLE_SEQUENCE);
    expect(events.find((e) => e.type === 'handoff_sent')).toMatchObject({
      source: 'coordinator_agent',
      target: 'shipping_agent',
    });
    expect(events.at(-2)).toMatchObject({ type: 'status', state: 'completed' });
    expect(events.at(-1)).toMatchObject({
      type: 'output',
      stopReason: 'terminated_by_condition',
      conversation: [
        { role: 'user', authorName: 'user', text: ARTICLE_MESSAGE },
        { role: 'assistant', authorName: 'shipping_agent', text: SHIPPING_ANSWER },
      ],
    });

    const run = await stream.run;
    expect(run).toMatchObject({ workflow: 'customer_support', runId: expect.any(String) });
    const status = await client.status(run);
    expect(status).toMatchObject({
      state: 'completed',
      activeAgent: 'shipping_agent',
      pendingRequest: null,
      conversation: [
        { role: 'user', authorName: 'user', text: ARTICLE_MESSAGE },
        { role: 'assistant', authorName: 'shipping_agent', text: SHIPPING_ANSWER },
      ],
    });
    app.model.assertComplete();
  });

  it('answers two questions of a human_in_loop run through respond, each to the agent that asked', async () => {
    app.model.addSteps(...refundDialogueSteps());
    const run = await client.startRun('customer_support', { message: 'I have a problem with an order' });
    const replies = ['I would like my money back', 'It is order #12345'];
    const events: WorkflowEvent[] = [];
    const questions: { agent: string; prompt: string }[] = [];

    for await (const event of client.runStream(run)) {
      events.push(event);
      if (event.type !== 'request_info') continue;
      questions.push({ agent: event.agent, prompt: event.prompt });
      const status = await client.status(run);
      expect(status.state).toBe('awaiting_input');
      expect(status.pendingRequest?.requestId).toBe(event.requestId);
      const answer = await client.respond(run, replies[questions.length - 1]!, {
        requestId: event.requestId,
      });
      expect(answer).toMatchObject({ runId: run.runId, requestId: event.requestId });
    }

    expect(questions).toEqual([
      { agent: 'coordinator_agent', prompt: COORDINATOR_QUESTION },
      { agent: 'refund_agent', prompt: REFUND_QUESTION },
    ]);
    expect(events.map((e) => e.seq)).toEqual(oneTo(events.length));
    expect(events.filter((e) => e.type === 'user_message').map((e) => e.text)).toEqual([
      'I have a problem with an order',
      ...replies,
    ]);
    expect(events.at(-1)).toMatchObject({
      type: 'output',
      stopReason: 'terminated_by_condition',
      conversation: [
        { authorName: 'user', text: 'I have a problem with an order' },
        { authorName: 'coordinator_agent', text: COORDINATOR_QUESTION },
        { authorName: 'user', text: replies[0] },
        { authorName: 'refund_agent', text: REFUND_QUESTION },
        { authorName: 'user', text: replies[1] },
        { authorName: 'refund_agent', text: REFUND_ANSWER },
      ],
    });

    // The JSON log holds the same events; `after` skips the ones a caller already has.
    const page = await client.events(run, { after: 5 });
    expect(page.state).toBe('completed');
    expect(page.events).toEqual(events.slice(5));
    app.model.assertComplete();
  });

  it('terminates a run that waits for the human; its stream ends with the cancelled output', async () => {
    app.model.addSteps({ agent: 'coordinator_agent', reply: { text: COORDINATOR_QUESTION } });
    const stream = client.runStream('customer_support', 'Hello?');
    const types: string[] = [];
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'request_info') {
        expect(await client.terminate(await stream.run)).toMatchObject({ state: 'awaiting_input' });
      }
      if (event.type === 'output') expect(event.stopReason).toBe('cancelled');
    }
    expect(types.slice(-2)).toEqual(['status', 'output']);
    expect(await client.status(await stream.run)).toMatchObject({
      state: 'terminated',
      stopReason: 'cancelled',
    });
  });

  it('opens a run with the function key instead of its token', async () => {
    app.model.addSteps(...articleSteps());
    const started = await client.startRun('customer_support', {
      message: ARTICLE_MESSAGE,
      mode: 'autonomous',
    });
    const operator = new HandoffClient({ baseUrl: app.host.baseUrl, functionKey: app.host.functionKey });
    const events: WorkflowEvent[] = [];
    for await (const event of operator.runStream({ workflow: started.workflow, runId: started.runId })) {
      events.push(event);
    }
    expect(executorSequence(events)).toEqual(ARTICLE_SEQUENCE);
  });
});
