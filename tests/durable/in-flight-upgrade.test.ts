/**
 * Runs that an earlier build left in flight finish on this one. Each fixture in
 * tests/fixtures/in-flight/ holds the whole durable state (the engine's instances and histories,
 * the run store) of runs an earlier build started and stopped mid-way, recorded with
 * `RECORD_IN_FLIGHT=1 npx jest tests/durable/in-flight-upgrade` on that build:
 *
 * - `awaiting`: a human_in_loop run that continued as new twice and waits for its second reply, so
 *   its current generation starts from the earlier build's carried state and its history holds the
 *   earlier build's turn results;
 * - `turn-in-flight`: a run whose first agent turn was running when the host stopped, so the
 *   activity this build runs was scheduled, with its input, by the earlier build.
 *
 * This build restores the state into a fresh Azurite, finishes both runs and checks what a user
 * sees: the conversation, a sound event log (seq 1..n, one `output`, last) and the run's output.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { appEnvironment } from '../../devhost/config/app-environment';
import type { InstanceStatus } from '../../devhost/durable';
import { startAzurite, VirtualClock, type AzuriteHandle } from '../../devhost/durable';
import type { WorkflowEvent } from '../../src/core/events';
import { HANDOFF_ORCHESTRATOR } from '../../src/durable/names';
import { sendUserReply } from '../../src/durable/send-user-reply';
import { buildRunInput } from '../../src/durable/start-handoff-run';
import { loadStorageSettings } from '../../src/durable/store/storage-settings';
import { TableRunStore } from '../../src/durable/store/table-run-store';
import { RunOutputSchema } from '../../src/durable/wire/run-output';
import { RunStatusSchema } from '../../src/durable/wire/run-status';
import { startScriptedModelServer, type ScriptedModelServer, type ScriptStep } from '../../src/testing';
import { customerSupport } from '../../sample/src/workflows/customer-support';
import { startAppHost, type AppHost } from '../support/app-host';
import {
  AzuriteSnapshotSchema,
  restoreAzuriteSnapshot,
  takeAzuriteSnapshot,
} from '../support/azurite-snapshot';
import { handoffTo } from '../support/scripted-replies';

const FIXTURE_DIR = path.resolve(__dirname, '../fixtures/in-flight');
const RECORDING = process.env.RECORD_IN_FLIGHT === '1';
const START = new Date('2026-11-24T09:00:00.000Z');

const FixtureSchema = z.object({
  /** The commit of the build that recorded it. */
  recordedAt: z.string(),
  /** The engine clock when the host stopped. */
  clock: z.string(),
  snapshot: AzuriteSnapshotSchema,
});

/** One host on one Azurite data folder, with a virtual clock and a scripted model. */
class UpgradeHost {
  azurite!: AzuriteHandle;
  model!: ScriptedModelServer;
  app!: AppHost;
  store!: TableRunStore;
  readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'in-flight-upgrade-'));

  constructor(readonly clock: VirtualClock) {}

  /**
   * Starts Azurite (restoring a snapshot first, if given), the model server and the app host. The
   * model is scripted before the host starts: the engine resumes work left in flight at once.
   */
  async start(restore?: z.infer<typeof AzuriteSnapshotSchema>, steps: ScriptStep[] = []): Promise<void> {
    this.azurite = await startAzurite({ location: this.dataDir });
    if (restore) await restoreAzuriteSnapshot(this.azurite.connectionString, restore);
    this.model = await startScriptedModelServer({ steps });
    this.app = await startAppHost({
      storage: 'azurite',
      dataDir: this.dataDir,
      clock: this.clock,
      modelServer: this.model,
    });
    this.store = new TableRunStore(loadStorageSettings(appEnvironment()));
  }

  async stopHost(): Promise<void> {
    await this.app?.stop();
  }

  async stop(): Promise<void> {
    await this.stopHost();
    await this.model?.close();
    await this.azurite?.stop();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }

  get engine() {
    const engine = this.app.host.durable;
    if (!engine) throw new Error('the app host has no durable engine');
    return engine;
  }

  script(steps: ScriptStep[]): void {
    this.model.reset();
    this.model.addSteps(...steps);
  }

  async reply(runId: string, message: string): Promise<void> {
    const client = this.engine.client;
    await sendUserReply(
      { startNew: (n, o) => client.startNew(n, o), raiseEvent: (i, n, d) => client.raiseEvent(i, n, d) },
      this.store,
      runId,
      { message },
      this.clock.now(),
    );
  }

  /** Lets the engine work until `done` holds (or the run ends otherwise, or a deadline passes). */
  async settle(runId: string, done: (status: InstanceStatus) => boolean): Promise<InstanceStatus> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      await this.engine.idle();
      const status = await this.engine.client.getStatus(runId, { showInput: false });
      if (status && done(status)) return status;
      if (status && ['Completed', 'Failed', 'Terminated'].includes(status.runtimeStatus)) {
        throw new Error(`Run ${runId} ended ${status.runtimeStatus}: ${JSON.stringify(status.output)}`);
      }
      if (Date.now() > deadline) {
        throw new Error(`Run ${runId} did not get there in time; last status: ${JSON.stringify(status)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  awaiting(runId: string, agent: string): Promise<InstanceStatus> {
    return this.settle(runId, (status) => {
      const custom = RunStatusSchema.safeParse(status.customStatus);
      return custom.success && custom.data.state === 'awaiting_input' && custom.data.activeAgent === agent;
    });
  }

  finished(runId: string): Promise<InstanceStatus> {
    return this.settle(runId, (status) => status.runtimeStatus === 'Completed');
  }

  async startRun(runId: string, continueAsNewEvery?: number): Promise<void> {
    const input = buildRunInput(customerSupport, { message: 'Hi', runId, mode: 'human_in_loop' });
    if (continueAsNewEvery !== undefined) input.plan = { ...input.plan, continueAsNewEvery };
    await this.engine.client.startNew(HANDOFF_ORCHESTRATOR, { instanceId: runId, input });
  }
}

/** Problems of an event log: seq 1..n without gaps or repeats, one `output`, last. */
function logProblems(events: readonly WorkflowEvent[]): string[] {
  const problems = events.flatMap((event, index) =>
    event.seq === index + 1 ? [] : [`event #${index + 1} has seq ${event.seq}`],
  );
  if (events.filter((event) => event.type === 'output').length !== 1) problems.push('not one output');
  if (events.at(-1)?.type !== 'output') problems.push(`the last event is ${events.at(-1)?.type}`);
  return problems;
}

function conversation(events: readonly WorkflowEvent[]): string[] {
  const output = events.find((event) => event.type === 'output');
  if (output?.type !== 'output') return [];
  return output.conversation.map((message) => `${message.authorName}: ${message.text}`);
}

async function record(): Promise<void> {
  const host = new UpgradeHost(new VirtualClock(START));
  try {
    await host.start();
    // `awaiting`: continue-as-new after every turn, so generation 3 waits for the second reply.
    host.script([
      {
        agent: 'coordinator_agent',
        reply: { text: 'Is this about a refund, a delivery or a technical problem?' },
      },
      { agent: 'coordinator_agent', reply: handoffTo('refund_agent') },
      { agent: 'refund_agent', reply: { text: 'Which order should I refund?' } },
    ]);
    await host.startRun('awaiting', 1);
    await host.awaiting('awaiting', 'coordinator_agent');
    await host.reply('awaiting', 'A refund, please');
    await host.awaiting('awaiting', 'refund_agent');
    // `turn-in-flight`: the model never answers its first turn; the host stops while it waits.
    host.script([{ agent: 'coordinator_agent', reply: { hang: true } }]);
    await host.startRun('turn-in-flight');
    const deadline = Date.now() + 10_000;
    while (host.model.requests.length === 0) {
      if (Date.now() > deadline) throw new Error('the in-flight turn never called the model');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await host.stopHost();
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const fixture = {
      recordedAt: commit,
      clock: host.clock.now().toISOString(),
      snapshot: await takeAzuriteSnapshot(host.azurite.connectionString),
    };
    fs.mkdirSync(FIXTURE_DIR, { recursive: true });
    fs.writeFileSync(path.join(FIXTURE_DIR, `${commit}.json`), `${JSON.stringify(fixture, null, 1)}\n`);
  } finally {
    await host.stop();
  }
}

const fixtures = RECORDING
  ? []
  : fs
      .readdirSync(FIXTURE_DIR)
      .filter((file) => file.endsWith('.json'))
      .sort();

describe('runs left in flight by an earlier build', () => {
  if (RECORDING) {
    it('records the in-flight state of this build', async () => {
      await record();
    }, 60_000);
    return;
  }

  it('has at least one recorded build', () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });

  describe.each(fixtures)('recorded at %s', (file) => {
    const fixture = FixtureSchema.parse(JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, file), 'utf8')));
    const host = new UpgradeHost(new VirtualClock(new Date(fixture.clock)));
    beforeAll(async () => {
      await host.start(fixture.snapshot, [
        // `awaiting`, after the reply:
        { agent: 'refund_agent', reply: { text: 'Order 7 has been refunded.' } },
        // `turn-in-flight`, from its first turn on:
        { agent: 'coordinator_agent', reply: { text: 'What can I do for you?' } },
        { agent: 'coordinator_agent', reply: handoffTo('shipping_agent') },
        { agent: 'shipping_agent', reply: { text: 'Your parcel was delivered to the neighbour.' } },
      ]);
    }, 60_000);
    afterAll(async () => {
      await host.stop();
    });

    it('finishes a run that waited for a reply, carried over from the earlier build', async () => {
      await host.reply('awaiting', 'Order 7');
      const status = await host.finished('awaiting');
      expect(RunOutputSchema.parse(status.output)).toMatchObject({
        state: 'completed',
        stopReason: 'terminated_by_condition',
        turns: 4,
      });
      const events = await host.store.readEvents('awaiting', 0);
      expect(logProblems(events)).toEqual([]);
      expect(conversation(events)).toEqual([
        'user: Hi',
        'coordinator_agent: Is this about a refund, a delivery or a technical problem?',
        'user: A refund, please',
        'refund_agent: Which order should I refund?',
        'user: Order 7',
        'refund_agent: Order 7 has been refunded.',
      ]);
    });

    it('finishes a run whose first turn the earlier build had scheduled and not completed', async () => {
      await host.awaiting('turn-in-flight', 'coordinator_agent');
      await host.reply('turn-in-flight', 'Where is my parcel?');
      const status = await host.finished('turn-in-flight');
      expect(RunOutputSchema.parse(status.output)).toMatchObject({
        stopReason: 'terminated_by_condition',
        turns: 3,
      });
      const events = await host.store.readEvents('turn-in-flight', 0);
      expect(logProblems(events)).toEqual([]);
      expect(conversation(events)).toEqual([
        'user: Hi',
        'coordinator_agent: What can I do for you?',
        'user: Where is my parcel?',
        'shipping_agent: Your parcel was delivered to the neighbour.',
      ]);
    });

    it('made exactly the model calls scripted, none again for a turn already recorded', () => {
      host.model.assertComplete();
    });
  });
});
