/**
 * Drives handoff runs through the local host's durable engine (memory storage, virtual clock) and
 * the app's real orchestrator and activities, against a scripted model server.
 */
import fs from 'node:fs';
import path from 'node:path';
import { appEnvironment } from '../../../devhost/config/app-environment';
import { activityResultJson, activityTriggerData } from '../../../devhost/durable/activity/activity-io';
import type { DurableEngine, InstanceStatus, OrchestrationRecording } from '../../../devhost/durable';
import { VirtualClock } from '../../../devhost/durable';
import type { WorkflowEvent } from '../../../src/core/events';
import type { ConversationMessage } from '../../../src/core/messages';
import { HANDOFF_ORCHESTRATOR } from '../../../src/durable/names';
import type { RunClient } from '../../../src/durable/run-client';
import { cancelRun } from '../../../src/durable/cancel-run';
import { sendUserReply } from '../../../src/durable/send-user-reply';
import type { StartRunOptions } from '../../../src/core/run-input';
import { buildRunInput } from '../../../src/durable/start-handoff-run';
import { loadStorageSettings } from '../../../src/durable/store/storage-settings';
import { TableRunStore } from '../../../src/durable/store/table-run-store';
import type { OrchestrationInput } from '../../../src/durable/wire/orchestration-input';
import type { RunOutput } from '../../../src/durable/wire/run-output';
import type { RunStatus } from '../../../src/durable/wire/run-status';
import type { ScriptStep } from '../../../src/testing';
import { customerSupport } from '../../../sample/src/workflows/customer-support';
import { startAppHost, type AppHost } from '../../support/app-host';

export const HISTORY_DIR = path.resolve(__dirname, '../../fixtures/histories/handoff');

/** A started harness: one host, one model server, one virtual clock, shared by a test file. */
export class OrchestratorHarness {
  readonly clock = new VirtualClock(new Date('2026-11-24T09:00:00.000Z'));
  app!: AppHost;
  store!: TableRunStore;

  /** Starts the host; `env` adds app settings (e.g. where telemetry goes). */
  async start(env?: Record<string, string>): Promise<void> {
    this.app = await startAppHost({ clock: this.clock, ...(env ? { env } : {}) });
    this.store = new TableRunStore(loadStorageSettings(appEnvironment()));
  }

  async stop(): Promise<void> {
    await this.app?.stop();
  }

  get engine(): DurableEngine {
    const engine = this.app.host.durable;
    if (!engine) throw new Error('the app host has no durable engine');
    return engine;
  }

  get client(): RunClient {
    const client = this.engine.client;
    return {
      startNew: (name, options) => client.startNew(name, options),
      raiseEvent: (id, name, data) => client.raiseEvent(id, name, data),
    };
  }

  /** Replaces the model script for the next run. */
  script(steps: ScriptStep[]): void {
    this.app.model.reset();
    this.app.model.addSteps(...steps);
  }

  /** Starts a run of customer_support with `input` tweaks applied to the pinned input. */
  async startRun(
    runId: string,
    options: Omit<StartRunOptions, 'runId'>,
    tweak: (input: OrchestrationInput) => OrchestrationInput = (input) => input,
  ): Promise<string> {
    const input = tweak(buildRunInput(customerSupport, { ...options, runId }));
    await this.engine.client.startNew(HANDOFF_ORCHESTRATOR, { instanceId: runId, input });
    return runId;
  }

  async reply(runId: string, message: string, requestId?: string): Promise<void> {
    await sendUserReply(
      this.client,
      this.store,
      runId,
      { message, ...(requestId ? { requestId } : {}) },
      this.clock.now(),
    );
  }

  /** Answers the tool approval request `requestId`. */
  async approve(
    runId: string,
    requestId: string,
    approval: { approved: boolean; reason?: string },
  ): Promise<void> {
    await sendUserReply(this.client, this.store, runId, { approval, requestId }, this.clock.now());
  }

  async cancel(runId: string): Promise<void> {
    await cancelRun(this.client, runId, 'test');
  }

  async status(runId: string): Promise<InstanceStatus> {
    const status = await this.engine.client.getStatus(runId, { showInput: true });
    if (!status) throw new Error(`no instance ${runId}`);
    return status;
  }

  /**
   * Lets the engine work until `done(status)` holds. With `advanceTimersUpToMs`, virtual timers due
   * within that many ms of now (retry back-offs) are fired when the engine is otherwise idle; the
   * reply timeout (24 h) never fires by accident.
   */
  async settle(
    runId: string,
    done: (status: InstanceStatus) => boolean,
    options: { advanceTimersUpToMs?: number; timeoutMs?: number } = {},
  ): Promise<InstanceStatus> {
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    for (;;) {
      await this.engine.idle();
      const status = await this.status(runId);
      if (done(status)) return status;
      if (['Completed', 'Failed', 'Terminated'].includes(status.runtimeStatus)) {
        throw new Error(
          `Run ${runId} ended before reaching the expected state: ${JSON.stringify(status.output)}`,
        );
      }
      const next = this.clock.nextTimerAt();
      const allowance = options.advanceTimersUpToMs ?? 0;
      if (next && next.getTime() - this.clock.now().getTime() <= allowance) {
        this.clock.advanceTo(next);
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `Run ${runId} did not reach the expected state in time; last status: ${JSON.stringify(status)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Waits until the run awaits input and returns its open request. */
  async awaitingInput(runId: string): Promise<NonNullable<RunStatus['pendingRequest']>> {
    const status = await this.settle(
      runId,
      (s) => (s.customStatus as RunStatus | null)?.state === 'awaiting_input',
    );
    const pending = (status.customStatus as RunStatus).pendingRequest;
    if (!pending) throw new Error('awaiting input without a pending request');
    return pending;
  }

  /** Waits for the run to finish and returns its output. */
  async finished(runId: string, options: { advanceTimersUpToMs?: number } = {}): Promise<RunOutput> {
    const status = await this.settle(
      runId,
      (s) => ['Completed', 'Failed', 'Terminated'].includes(s.runtimeStatus),
      options,
    );
    if (status.runtimeStatus !== 'Completed')
      throw new Error(`Run ${runId} ended ${status.runtimeStatus}: ${JSON.stringify(status.output)}`);
    return status.output as RunOutput;
  }

  /** Every stored event of the run, checked for contiguous seq numbers. */
  async events(runId: string): Promise<WorkflowEvent[]> {
    const events = await this.store.readEvents(runId, 0);
    const seqs = events.map((e) => e.seq);
    expectContiguous(seqs);
    return events;
  }

  /** The clean conversation the run's `output` event carries. */
  async conversation(runId: string): Promise<ConversationMessage[]> {
    const output = (await this.events(runId)).find((event) => event.type === 'output');
    if (output?.type !== 'output') throw new Error(`run ${runId} has no output event`);
    return output.conversation;
  }

  async recording(runId: string): Promise<OrchestrationRecording> {
    return this.engine.recording(runId);
  }

  /** Runs an activity once more with `input`, as Durable does after a crash (at-least-once). */
  async invokeActivity(name: string, input: unknown): Promise<unknown> {
    const worker = this.app.host.worker;
    const fn = worker.list().find((f) => f.triggerType === 'activityTrigger' && f.name === name);
    if (!fn) throw new Error(`no activity ${name}`);
    const outcome = await worker.invoke(fn.name, [
      { name: fn.triggerBindingName, data: activityTriggerData(JSON.stringify([input])) },
    ]);
    if (!outcome.ok) throw new Error(`activity ${name} failed: ${outcome.error.message}`);
    return JSON.parse(activityResultJson(outcome.returnValue)) as unknown;
  }

  /** Saves a recording as a replay fixture when RECORD_HISTORIES=1. */
  async saveIfRecording(name: string, runId: string): Promise<void> {
    if (process.env.RECORD_HISTORIES !== '1') return;
    fs.mkdirSync(HISTORY_DIR, { recursive: true });
    fs.writeFileSync(
      path.join(HISTORY_DIR, `${name}.json`),
      `${JSON.stringify(await this.recording(runId), null, 1)}\n`,
    );
  }
}

function expectContiguous(seqs: number[]): void {
  seqs.forEach((seq, index) => {
    if (seq !== index + 1)
      throw new Error(`event seq ${seq} at position ${index} (expected ${index + 1}): ${seqs.join(',')}`);
  });
}

/** The executor lifecycle of an event list, as `+id` / `-id`. */
export function executorTrail(events: readonly WorkflowEvent[]): string[] {
  return events.flatMap((event) => {
    if (event.type === 'executor_invoked') return [`+${event.executorId}`];
    if (event.type === 'executor_completed') return [`-${event.executorId}`];
    return [];
  });
}
