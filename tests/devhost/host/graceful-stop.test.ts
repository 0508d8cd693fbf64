/**
 * Ctrl-C on the local host (emulated engine): an agent turn in flight finishes and is recorded
 * before the host exits, so after a restart the run goes on without asking the model again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePorts } from '../../../devhost/azurite/ports';
import { startScriptedModelServer, type ScriptedModelServer } from '../../../src/testing';
import { waitFor } from '../../support/api-client';
import { appSettings } from '../../support/app-host';
import { startCliHost, type CliHost } from '../../support/cli-host';
import { runStatus, startRun } from '../../reliability/support/run-api';

const ANSWER = 'Your parcel will be delivered within 2 business days.';

describe('Ctrl-C on the local host', () => {
  let model: ScriptedModelServer;
  let dataDir: string;
  let host: CliHost | undefined;

  beforeAll(async () => {
    model = await startScriptedModelServer();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'graceful-stop-'));
  });
  afterAll(async () => {
    await host?.kill('SIGINT');
    await model?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('lets the agent turn in flight finish and keeps its answer: the model is not asked again after a restart', async () => {
    model.addSteps(
      {
        agent: 'coordinator_agent',
        // Slow enough that the stop comes while the model is still answering.
        reply: { delayMs: 3000, then: { toolCalls: [{ name: 'handoff_to_shipping_agent', arguments: {} }] } },
      },
      { agent: 'shipping_agent', reply: { text: ANSWER } },
    );
    const [port] = await freePorts(1);
    const start = () =>
      startCliHost({
        port: port!,
        dataDir,
        storage: 'azurite',
        env: appSettings(model, { DURABLE_HANDOFF_TASK_HUB: 'GracefulStop' }),
        logLevel: 'information',
        readyTimeoutMs: 60_000,
      });
    host = await start();
    const run = await startRun(host.api, { message: 'Where is my order #12345?', mode: 'autonomous' });
    await model.waitForRequests(1, { timeoutMs: 20_000 });

    const stopped = host;
    host = undefined;
    await stopped.kill('SIGINT');
    const output = stopped.output();
    expect(output).toMatch(
      /Stopping: waiting up to 15 s for 1 in flight \(activity handoffAgentTurn of instance [^)]+\); nothing new starts\./,
    );
    expect(output).toContain('Stopping: the work in flight finished.');
    expect(output).not.toContain('abandoned');
    expect(output).toContain('Stopped.');
    // The turn finished before the exit; the next one did not start.
    expect(model.requests.map((request) => request.agent)).toEqual(['coordinator_agent']);

    host = await start();
    const status = await waitFor(
      'the run to complete after the restart',
      async () => {
        const current = await runStatus(host!.api, run);
        return current.state === 'completed' ? current : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(status.conversation.at(-1)).toMatchObject({ authorName: 'shipping_agent', text: ANSWER });
    // The coordinator's answer was kept: only the shipping agent was asked after the restart.
    expect(model.requests.map((request) => request.agent)).toEqual(['coordinator_agent', 'shipping_agent']);
    model.assertComplete();
  }, 180_000);

  it('finishes the same stop when SIGTERM comes twice (a process-group SIGTERM, and the one npm start passes on)', async () => {
    model.reset();
    model.addSteps({
      agent: 'coordinator_agent',
      // Slow enough that both signals come while the model is still answering.
      reply: { delayMs: 3000, then: { text: 'What is your order number?' } },
    });
    // The first test's restarted host goes first: afterAll stops only the one left in `host`.
    await host?.kill('SIGINT');
    const [port] = await freePorts(1);
    host = await startCliHost({
      port: port!,
      dataDir,
      storage: 'azurite',
      env: appSettings(model, { DURABLE_HANDOFF_TASK_HUB: 'GracefulStopTwice' }),
      logLevel: 'information',
      readyTimeoutMs: 60_000,
    });
    const stopped = host;
    await startRun(stopped.api, { message: 'Where is my order?', mode: 'autonomous' });
    await model.waitForRequests(1, { timeoutMs: 20_000 });

    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      stopped.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    stopped.child.kill('SIGTERM');
    await waitFor('the host to begin stopping', () =>
      Promise.resolve(stopped.output().includes('Stopping: waiting up to') ? true : undefined),
    );
    stopped.child.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    host = undefined;
    expect(stopped.output()).toContain('Stopping: the work in flight finished.');
    expect(stopped.output()).toContain('Stopped.');
  }, 120_000);
});
