/**
 * Scenarios that run unchanged on both engines (real time, no virtual clock): each starts
 * orchestrations of the conformance fixture through durable-functions' client, drives them over
 * HTTP, checks what both engines must agree on, and names the instance whose history is compared
 * with the real engine's recording.
 */
import type { ApiStatus, EngineHost } from './engine-host';
import type { ComparedEvent } from './history-shape';

/** One scenario. */
export interface EngineScenario {
  /** Kebab-case: the recording's file name. */
  name: string;
  title: string;
  /** Activities completing in parallel land in the history in any order: compare as a set. */
  orderFree?: boolean;
  /**
   * Where the emulation's history differs from the real engine's, as devhost/README.md documents
   * it: what the emulation shows, derived from the recording. The test fails if the emulation
   * stops differing this way, so the README is kept true.
   */
  emulated?: { difference: string; expected(recorded: ComparedEvent[]): ComparedEvent[] };
  /** Runs it under the instance id `id`; returns the instance whose history is compared. */
  run(h: EngineHost, id: string): Promise<string>;
}

async function raise(h: EngineHost, instanceId: string, eventName: string, data: unknown): Promise<void> {
  const res = await h.clientOp('raise', { instanceId, eventName, data });
  expect(res.status).toBe(200);
}

const running = (s: ApiStatus) => s.runtimeStatus === 'Running';

/** The scenarios, in the order they run. */
export const ENGINE_SCENARIOS: EngineScenario[] = [
  {
    name: 'activity-chain',
    title: 'an activity chain completes with each result in order',
    async run(h, given) {
      const id = await h.start('activityChain', 'ada', given);
      const done = await h.finished(id);
      expect(done.runtimeStatus).toBe('Completed');
      expect(done.output).toEqual(['Hello ada 1', 'Hello ada 2', 'Hello ada 3']);
      return id;
    },
  },
  {
    name: 'fan-out-fan-in',
    title: 'a fan-out of activities is awaited as one and summed',
    orderFree: true,
    async run(h, given) {
      const id = await h.start('fanOutFanIn', [1, 2, 3, 4], given);
      const done = await h.finished(id);
      expect(done.runtimeStatus).toBe('Completed');
      expect(done.output).toBe(20);
      return id;
    },
  },
  {
    name: 'orchestrator-throws',
    title: 'an orchestrator that throws fails with its own message',
    async run(h, given) {
      const id = await h.start('throwsAfterActivity', null, given);
      const done = await h.finished(id);
      expect(done.runtimeStatus).toBe('Failed');
      expect(done.output).toBe(
        "Orchestrator function 'throwsAfterActivity' failed: the orchestrator gave up",
      );
      return id;
    },
  },
  {
    name: 'retry-exhausted',
    title: "an activity failing past its retries fails the orchestration with the activity's message",
    async run(h, given) {
      const id = await h.start('retryExhausted', null, given);
      const done = await h.finished(id);
      expect(done.runtimeStatus).toBe('Failed');
      expect(String(done.output)).toMatch(
        /^Orchestrator function 'retryExhausted' failed: Activity function 'flaky' failed: {2}flaky attempt 2 failed \n/,
      );
      return id;
    },
  },
  {
    name: 'retry-twice-then-succeed',
    title: 'an activity retried after two failures completes',
    async run(h, given) {
      const id = await h.start('retryTwiceThenSucceed', null, given);
      const done = await h.finished(id);
      expect(done.runtimeStatus).toBe('Completed');
      expect(done.output).toEqual({ key: id, attempt: 3 });
      return id;
    },
  },
  {
    name: 'external-event',
    title: 'a raised event resumes the orchestration waiting for it',
    async run(h, given) {
      const id = await h.start('waitForApproval', null, given);
      await h.waitFor(id, running, 'running');
      await raise(h, id, 'approve', { by: 'ada' });
      const done = await h.finished(id);
      expect(done.output).toEqual({ approved: { by: 'ada' } });
      return id;
    },
  },
  {
    name: 'custom-status',
    title: 'custom status is visible while the orchestration waits, then updated',
    async run(h, given) {
      const id = await h.start('customStatusSteps', null, given);
      await h.waitFor(id, (s) => JSON.stringify(s.customStatus) === '{"step":1}', 'custom status step 1');
      await raise(h, id, 'next', 'go');
      const done = await h.finished(id);
      expect(done.output).toBe('done');
      expect(done.customStatus).toEqual({ step: 2, got: 'go' });
      return id;
    },
  },
  {
    name: 'continue-as-new',
    title: 'continue-as-new restarts with the new input and completes in the last generation',
    async run(h, given) {
      const id = await h.start('counterContinueAsNew', { n: 0, max: 2 }, given);
      const done = await h.finished(id);
      expect(done.runtimeStatus).toBe('Completed');
      expect(done.output).toBe(2);
      return id;
    },
  },
  {
    name: 'terminate',
    title: 'terminating a waiting orchestration ends it with the reason',
    emulated: {
      difference: 'no ExecutionTerminated event before ExecutionCompleted',
      expected: (recorded) => recorded.filter((e) => e.EventType !== 'ExecutionTerminated'),
    },
    async run(h, given) {
      const id = await h.start('waitForApproval', null, given);
      await h.waitFor(id, running, 'running');
      expect((await h.clientOp('terminate', { instanceId: id, reason: 'no longer needed' })).status).toBe(
        200,
      );
      const done = await h.finished(id);
      expect(done.runtimeStatus).toBe('Terminated');
      expect(done.output).toBe('no longer needed');
      return id;
    },
  },
  {
    name: 'suspend-resume',
    title: 'a suspended orchestration holds an event until resumed',
    emulated: {
      difference: 'an event raised while suspended is shown after ExecutionResumed, not where it arrived',
      expected(recorded) {
        const raised = recorded.findIndex((e) => e.EventType === 'EventRaised');
        const resumed = recorded.findIndex((e) => e.EventType === 'ExecutionResumed');
        const out = [...recorded];
        out.splice(resumed + 1, 0, out[raised]!);
        out.splice(raised, 1);
        return out;
      },
    },
    async run(h, given) {
      const id = await h.start('waitForApproval', null, given);
      await h.waitFor(id, running, 'running');
      expect((await h.clientOp('suspend', { instanceId: id, reason: 'hold' })).status).toBe(200);
      await h.waitFor(id, (s) => s.runtimeStatus === 'Suspended', 'suspended');
      await raise(h, id, 'approve', true);
      expect((await h.clientOp('resume', { instanceId: id, reason: 'go on' })).status).toBe(200);
      const done = await h.finished(id);
      expect(done.output).toEqual({ approved: true });
      return id;
    },
  },
];
