import type { WorkflowEvent } from '../../src/core/events';
import { request, waitFor } from '../support/api-client';
import { startAppHost, type AppHost } from '../support/app-host';
import { ARTICLE_SEQUENCE, executorSequence } from '../support/event-sequence';

const SHIPPING_ANSWER =
  "Thank you — I've located the package for order #12345. It will be delivered within 2 business days. The issue is resolved.";

describe('the article run over HTTP', () => {
  let app: AppHost;

  beforeAll(async () => {
    app = await startAppHost({
      model: {
        steps: [
          {
            agent: 'coordinator_agent',
            reply: { toolCalls: [{ name: 'handoff_to_shipping_agent', arguments: {} }] },
          },
          { agent: 'shipping_agent', reply: { text: SHIPPING_ANSWER } },
        ],
      },
    });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('hands off from coordinator_agent to shipping_agent and completes with the article conversation', async () => {
    const started = await request<{ runId: string; token: string }>(
      `${app.api}/workflows/customer_support/run`,
      {
        body: { message: 'I never received my order #12345', mode: 'autonomous' },
      },
    );
    expect(started.status).toBe(202);
    const { runId, token } = started.body;

    const status = await waitFor('the run to complete', async () => {
      const response = await request<{ state: string }>(
        `${app.api}/workflows/customer_support/status/${runId}`,
        { token },
      );
      return response.body.state === 'completed' ? response.body : undefined;
    });
    expect(status).toMatchObject({
      runId,
      workflow: 'customer_support',
      state: 'completed',
      stopReason: 'terminated_by_condition',
      activeAgent: 'shipping_agent',
      turn: 2,
      pendingRequest: null,
      conversation: [
        { role: 'user', authorName: 'user', text: 'I never received my order #12345' },
        { role: 'assistant', authorName: 'shipping_agent', text: SHIPPING_ANSWER },
      ],
    });

    const log = await request<{ events: WorkflowEvent[] }>(
      `${app.api}/workflows/customer_support/events/${runId}`,
      { token },
    );
    const events = log.body.events;
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(executorSequence(events)).toEqual(ARTICLE_SEQUENCE);
    expect(events.find((e) => e.type === 'handoff_sent')).toMatchObject({
      source: 'coordinator_agent',
      target: 'shipping_agent',
    });
    app.model.assertComplete();
  });
});
