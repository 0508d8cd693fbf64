import type { WorkflowEvent } from '../../src/core/events';
import { request, waitFor } from '../support/api-client';
import { startAppHost, type AppHost } from '../support/app-host';
import { ARTICLE_RUN } from '../support/customer-support-runs';
import { ARTICLE_SEQUENCE, executorSequence } from '../support/event-sequence';

describe('the article run over HTTP', () => {
  let app: AppHost;

  beforeAll(async () => {
    app = await startAppHost({
      model: { steps: ARTICLE_RUN.steps },
    });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('hands off from coordinator_agent to shipping_agent and completes with the article conversation', async () => {
    const started = await request<{ runId: string; token: string }>(
      `${app.api}/workflows/customer_support/run`,
      {
        body: ARTICLE_RUN.start,
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
    expect(status).toMatchObject({ runId, workflow: 'customer_support', ...ARTICLE_RUN.completed });

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
