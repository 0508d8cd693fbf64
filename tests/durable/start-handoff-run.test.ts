/**
 * Where a new run's identity comes from: `newRunInstance` draws the run id (the caller's, checked,
 * or a random UUID) and the nonce, and `startHandoffRun` starts the orchestration under exactly that
 * identity on the local host's durable engine (memory storage, the app's real orchestrator).
 */
import { WorkflowInputError } from '../../src/core/errors';
import { newRunInstance, startHandoffRun } from '../../src/durable/start-handoff-run';
import { RunNonceSchema } from '../../src/durable/wire/run-instance';
import { customerSupport } from '../../sample/src/workflows/customer-support';
import { OrchestratorHarness } from './support/orchestrator-harness';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newRunInstance', () => {
  it('keeps a chosen run id and draws a new nonce for each instance of it', () => {
    const first = newRunInstance('order-12345');
    const second = newRunInstance('order-12345');
    expect(first.runId).toBe('order-12345');
    expect(second.runId).toBe('order-12345');
    expect(RunNonceSchema.safeParse(first.nonce).success).toBe(true);
    expect(second.nonce).not.toBe(first.nonce);
  });

  it('draws a random UUID when no run id is chosen', () => {
    const first = newRunInstance(undefined);
    const second = newRunInstance(undefined);
    expect(first.runId).toMatch(UUID);
    expect(second.runId).not.toBe(first.runId);
  });

  it('rejects a chosen run id that RunIdSchema refuses, saying which', () => {
    expect(() => newRunInstance('order.12345')).toThrow(WorkflowInputError);
    expect(() => newRunInstance('order.12345')).toThrow(/Run id 'order\.12345' is invalid/);
  });
});

describe('startHandoffRun on the durable engine', () => {
  const harness = new OrchestratorHarness();

  beforeAll(async () => {
    await harness.start();
  }, 60_000);
  afterAll(async () => {
    await harness.stop();
  });

  it('starts the run under the random id it returns, with that id and a nonce in its input', async () => {
    harness.script([{ agent: 'coordinator_agent', reply: { text: 'Which order?' } }]);
    const runId = await startHandoffRun(harness.client, customerSupport, {
      message: 'I never received my order',
    });
    expect(runId).toMatch(UUID);
    const { input } = await harness.status(runId);
    expect(input).toMatchObject({ runId, messages: ['I never received my order'] });
    expect(RunNonceSchema.safeParse((input as { nonce?: unknown }).nonce).success).toBe(true);
  });

  it('starts the run under a chosen id', async () => {
    harness.script([{ agent: 'coordinator_agent', reply: { text: 'Which order?' } }]);
    const runId = await startHandoffRun(harness.client, customerSupport, {
      message: 'Where is order #12345?',
      runId: 'ticket-8812',
    });
    expect(runId).toBe('ticket-8812');
    expect((await harness.status('ticket-8812')).input).toMatchObject({ runId: 'ticket-8812' });
  });

  it('starts nothing when the chosen id is invalid', async () => {
    await expect(
      startHandoffRun(harness.client, customerSupport, { message: 'Hello', runId: 'ticket.8812' }),
    ).rejects.toThrow(WorkflowInputError);
    expect(await harness.engine.client.getStatus('ticket.8812')).toBeUndefined();
  });
});
