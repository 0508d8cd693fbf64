/**
 * The Node side dies, the real engine does not lose the work: the local host (front door, worker
 * and bridge in one Node process) is SIGKILLed alone while an activity of a run is in flight. Its
 * .NET engine sees its stdin close and stops on its own (it never outlives its host), handing the
 * work item back instead of failing it; the host restarted on the same data runs the turn again and
 * the run goes on, with no failed activity in its history. Skips, saying why, without .NET.
 */
import { runEvents, waitForStatus, type StartedRun } from '../../reliability/support/run-api';
import { request } from '../../support/api-client';
import type { CliHost } from '../../support/cli-host';
import { oneTo } from '../../support/event-sequence';
import { processExit } from '../../support/processes';
import { enginePidIn } from './engine-host';
import { describeOnRealEngine, useRealEngineHosts } from './real-engine-hosts';

const MASTER_KEY = 'node-restart-master-key-0123456789';

jest.setTimeout(300_000);

describeOnRealEngine('the Node side of the real engine dying', () => {
  const dtfx = useRealEngineHosts({
    dataDirPrefix: 'dtfx-node-restart-',
    env: { DEVHOST_MASTER_KEY: MASTER_KEY },
  });

  /** The orchestration's history, from the extension's own management API. */
  async function history(h: CliHost, runId: string): Promise<Array<{ EventType: string }>> {
    const res = await request<{ historyEvents?: Array<{ EventType: string }> }>(
      `${h.baseUrl}/runtime/webhooks/durabletask/instances/${runId}?showHistory=true`,
      { headers: { 'x-functions-key': MASTER_KEY } },
    );
    // 202 while the instance runs, 200 once it has ended.
    expect([200, 202]).toContain(res.status);
    return res.body.historyEvents ?? [];
  }

  it('runs an activity cut short by the Node host dying again after the restart, never failing it', async () => {
    let h = await dtfx.start();
    dtfx
      .model()
      .addSteps(
        { agent: 'coordinator_agent', reply: { hang: true } },
        { agent: 'coordinator_agent', reply: { text: 'Back after the restart. What is your order number?' } },
      );
    const started = await request<{ runId: string; token: string }>(
      `${h.api}/workflows/customer_support/run`,
      {
        body: { message: 'My parcel is late' },
      },
    );
    expect(started.status).toBe(202);
    const run: StartedRun = { runId: started.body.runId, token: started.body.token };
    // The turn's model call is in flight: the activity runs in the Node worker the bridge called.
    await dtfx.model().waitForRequests(1, { timeoutMs: 60_000 });
    const enginePid = enginePidIn(h.output());

    await h.kill('SIGKILL');
    // Its engine notices (stdin closed) and stops by itself.
    await processExit(enginePid, 'the orphaned .NET engine to exit', 30_000);

    h = await dtfx.start();
    const waiting = await waitForStatus(
      h.api,
      run,
      'the question asked after the restart',
      (s) => s.state === 'awaiting_input',
      120_000,
    );
    expect(waiting.conversation.map((m) => m.text)).toEqual([
      'My parcel is late',
      'Back after the restart. What is your order number?',
    ]);
    // The cut-short call was made again: the engine handed the work item back, it did not fail it.
    expect(dtfx.model().requests).toHaveLength(2);
    const events = (await history(h, run.runId)).map((e) => e.EventType);
    expect(events).toContain('TaskCompleted');
    expect(events).not.toContain('TaskFailed');
    const log = await runEvents(h.api, run);
    expect(log.map((e) => e.seq)).toEqual(oneTo(log.length));
    expect(log.filter((e) => e.type === 'warning')).toEqual([]);
  });
});
