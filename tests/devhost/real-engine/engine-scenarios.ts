/**
 * Scenarios that run unchanged on both engines (real time, no virtual clock): each starts
 * orchestrations of the conformance fixture through durable-functions' client, drives them over
 * HTTP, checks what both engines must agree on, and names the instance whose history is compared
 * with the real engine's recording.
 */
import { clientRoundTrip } from '../durable/support/client-round-trip';
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

/** Starts `orchestrator` under `given` and waits until it runs (it waits for an event, say). */
async function startRunning(
  h: EngineHost,
  orchestrator: string,
  input: unknown,
  given: string,
): Promise<string> {
  const id = await h.start(orchestrator, input, given);
  await h.waitFor(id, running, 'running');
  return id;
}

/** Starts `orchestrator` under `id`, waits for it to end and checks that it ended `runtimeStatus`. */
async function runToEnd(
  h: EngineHost,
  orchestrator: string,
  input: unknown,
  given: string,
  runtimeStatus: 'Completed' | 'Failed' | 'Terminated',
): Promise<{ id: string; done: ApiStatus }> {
  const id = await h.start(orchestrator, input, given);
  const done = await h.finished(id);
  expect(done.runtimeStatus).toBe(runtimeStatus);
  return { id, done };
}

/** The emulation writes no ExecutionTerminated event (devhost/README.md). */
const TERMINATED_WITHOUT_EVENT: EngineScenario['emulated'] = {
  difference: 'no ExecutionTerminated event before ExecutionCompleted',
  expected: (recorded) => recorded.filter((e) => e.EventType !== 'ExecutionTerminated'),
};

/** The instance's raw history (management API). */
async function historyOf(h: EngineHost, id: string): Promise<Record<string, unknown>[]> {
  return (await h.status(id, '?showHistory=true&showHistoryOutput=true'))?.historyEvents ?? [];
}

/** Polls until the instance's history holds an event of `eventType` (named `name`, if given). */
async function waitForHistoryEvent(h: EngineHost, id: string, eventType: string, name?: string) {
  const has = (events: Record<string, unknown>[] | undefined) =>
    (events ?? []).some((e) => e.EventType === eventType && (name === undefined || e.Name === name));
  await h.waitFor(
    id,
    () => true,
    'started', // the instance exists
  );
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (has(await historyOf(h, id))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `${h.engine}: ${id} has no ${eventType}${name ? ` "${name}"` : ''} in its history within 60 s`,
  );
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The scenarios, in the order they run. */
export const ENGINE_SCENARIOS: EngineScenario[] = [
  {
    name: 'activity-chain',
    title: 'an activity chain completes with each result in order',
    async run(h, given) {
      const { id, done } = await runToEnd(h, 'activityChain', 'ada', given, 'Completed');
      expect(done.output).toEqual(['Hello ada 1', 'Hello ada 2', 'Hello ada 3']);
      return id;
    },
  },
  {
    name: 'fan-out-fan-in',
    title: 'a fan-out of activities is awaited as one and summed',
    orderFree: true,
    async run(h, given) {
      const { id, done } = await runToEnd(h, 'fanOutFanIn', [1, 2, 3, 4], given, 'Completed');
      expect(done.output).toBe(20);
      return id;
    },
  },
  {
    name: 'orchestrator-throws',
    title: 'an orchestrator that throws fails with its own message',
    async run(h, given) {
      const { id, done } = await runToEnd(h, 'throwsAfterActivity', null, given, 'Failed');
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
      const { id, done } = await runToEnd(h, 'retryExhausted', null, given, 'Failed');
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
      const { id, done } = await runToEnd(h, 'retryTwiceThenSucceed', null, given, 'Completed');
      expect(done.output).toEqual({ key: id, attempt: 3 });
      return id;
    },
  },
  {
    name: 'external-event',
    title: 'a raised event resumes the orchestration waiting for it',
    async run(h, given) {
      const id = await startRunning(h, 'waitForApproval', null, given);
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
      const { id, done } = await runToEnd(h, 'counterContinueAsNew', { n: 0, max: 2 }, given, 'Completed');
      expect(done.output).toBe(2);
      return id;
    },
  },
  {
    name: 'terminate',
    title: 'terminating a waiting orchestration ends it with the reason',
    emulated: TERMINATED_WITHOUT_EVENT,
    async run(h, given) {
      const id = await startRunning(h, 'waitForApproval', null, given);
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
      const id = await startRunning(h, 'waitForApproval', null, given);
      expect((await h.clientOp('suspend', { instanceId: id, reason: 'hold' })).status).toBe(200);
      await h.waitFor(id, (s) => s.runtimeStatus === 'Suspended', 'suspended');
      await raise(h, id, 'approve', true);
      expect((await h.clientOp('resume', { instanceId: id, reason: 'go on' })).status).toBe(200);
      const done = await h.finished(id);
      expect(done.output).toEqual({ approved: true });
      return id;
    },
  },
  {
    name: 'event-before-wait',
    title: 'an event raised before the orchestrator waits for it is delivered when it does',
    // The event lands before or after the activity's completion, as the queues deliver it.
    orderFree: true,
    async run(h, given) {
      const id = await h.start('eventBeforeWait', null, given);
      await raise(h, id, 'early', 'first!');
      const done = await h.finished(id);
      expect(done.runtimeStatus).toBe('Completed');
      expect(done.output).toEqual({ value: 'first!' });
      return id;
    },
  },
  {
    name: 'event-or-timer-event-wins',
    title: 'an event that arrives before its timer wins the race',
    async run(h, given) {
      const id = await h.start('eventOrTimer', { timeoutMs: 60_000 }, given);
      await waitForHistoryEvent(h, id, 'TimerCreated');
      await raise(h, id, 'approve', { by: 'grace' });
      const done = await h.finished(id);
      expect(done.runtimeStatus).toBe('Completed');
      expect(done.output).toMatchObject({ winner: 'event', value: { by: 'grace' } });
      return id;
    },
  },
  {
    name: 'event-or-timer-timer-wins',
    title: 'a timer that fires before the event wins the race, at the time it was set for',
    async run(h, given) {
      const { id, done } = await runToEnd(h, 'eventOrTimer', { timeoutMs: 1500 }, given, 'Completed');
      const output = done.output as { winner: string; at: string };
      expect(output.winner).toBe('timer');
      const created = (await historyOf(h, id)).find((e) => e.EventType === 'TimerCreated');
      // The orchestrator's clock after the timer is the start of the episode the timer fired in.
      // The real engine delivers a timer as a queue message made visible after a delay in whole
      // seconds, so that can be up to a second before FireAt (devhost/README.md).
      expect(new Date(output.at).getTime()).toBeGreaterThan(
        new Date(String(created?.FireAt)).getTime() - 1000,
      );
      return id;
    },
  },
  {
    name: 'mixed-tasks',
    title: 'a retried activity, an activity and an event racing an 8-day timer line up inside one Task.all',
    // Completions, the retry's timer and the event arrive in whatever order the queues give.
    orderFree: true,
    async run(h, given) {
      const id = await h.start('mixedTasks', null, given);
      await waitForHistoryEvent(h, id, 'TaskFailed');
      await raise(h, id, 'approve', 'ok');
      const done = await h.finished(id);
      expect(done.runtimeStatus).toBe('Completed');
      expect(done.output).toEqual({
        first: { key: id, attempt: 2 },
        second: 'Hello mixed',
        won: 'event',
        after: 42,
      });
      return id;
    },
  },
  {
    name: 'long-timer-first-piece',
    title: 'a 7-day timer is set as a first 3-day piece (then terminated: real time)',
    emulated: TERMINATED_WITHOUT_EVENT,
    async run(h, given) {
      const id = await h.start('longTimer', { days: 7 }, given);
      await waitForHistoryEvent(h, id, 'TimerCreated');
      const history = await historyOf(h, id);
      const started = new Date(String(history[0]?.Timestamp)).getTime();
      const fireAt = new Date(String(history.find((e) => e.EventType === 'TimerCreated')?.FireAt)).getTime();
      // durable-functions splits a timer past 6 days into 3-day pieces: this one is the first.
      expect(Math.round((fireAt - started) / DAY_MS)).toBe(3);
      expect((await h.clientOp('terminate', { instanceId: id, reason: 'long enough' })).status).toBe(200);
      expect((await h.finished(id)).runtimeStatus).toBe('Terminated');
      return id;
    },
  },
  {
    name: 'continue-as-new-drops-pending-event',
    title: 'an event not consumed before continue-as-new is dropped; one raised afterwards is delivered',
    async run(h, given) {
      const id = await startRunning(h, 'dropEventOnContinueAsNew', { generation: 0, until: 'next' }, given);
      await raise(h, id, 'ping', 'early');
      await waitForHistoryEvent(h, id, 'EventRaised', 'ping');
      await raise(h, id, 'next', null);
      await h.waitFor(
        id,
        (s) => s.runtimeStatus === 'Running' && JSON.stringify(s.input) === '{"generation":1}',
        'generation 1',
      );
      await raise(h, id, 'ping', 'late');
      const done = await h.finished(id);
      expect(done.runtimeStatus).toBe('Completed');
      expect(done.output).toEqual({ generation: 1, value: 'late' });
      return id;
    },
  },
  {
    name: 'custom-status-too-large',
    title: "a custom status over 16 KB of UTF-16 fails the orchestration with the extension's message",
    async run(h, given) {
      const { id, done } = await runToEnd(h, 'oversizeCustomStatus', null, given, 'Failed');
      expect(done.output).toBe(
        "Orchestrator function 'oversizeCustomStatus' failed: The UTF-16 size of the JSON-serialized payload must not " +
          'exceed 16 KB. The current payload size is 17 KB.',
      );
      return id;
    },
  },
  {
    name: 'client-start-raise-status',
    title: "durable-functions' client starts an instance, reads its status and raises its event",
    async run(h, given) {
      await clientRoundTrip(
        {
          clientOp: (op, args) => h.clientOp(op, args),
          untilRunning: (id) => h.waitFor(id, running, 'running'),
          finished: (id) => h.finished(id),
        },
        given,
      );
      return given;
    },
  },
  {
    name: 'non-deterministic',
    title: 'an orchestrator that schedules something else on replay fails as non-deterministic',
    emulated: {
      difference:
        "the real engine's showHistory lists no events for the failed instance; the emulation shows them",
      expected: (recorded) => [
        ...recorded,
        { EventType: 'ExecutionStarted', FunctionName: 'nonDeterministic', Input: 'null' },
        { EventType: 'TaskCompleted', FunctionName: 'sayHello', Result: 'Hello first run' },
        {
          EventType: 'ExecutionCompleted',
          OrchestrationStatus: 'Failed',
          Result:
            "Non-Deterministic workflow detected: A previous execution of this orchestration scheduled an activity task with sequence number 0 named 'sayHello', but the current orchestration replay instead scheduled an activity task named 'double' with this sequence number.  Was a change made to the orchestrator code after this instance had already started running?",
        },
      ],
    },
    async run(h, given) {
      const { id, done } = await runToEnd(h, 'nonDeterministic', null, given, 'Failed');
      expect(done.output).toBe(
        'Non-Deterministic workflow detected: A previous execution of this orchestration scheduled an activity task ' +
          "with sequence number 0 named 'sayHello', but the current orchestration replay instead scheduled an activity " +
          "task named 'double' with this sequence number.  Was a change made to the orchestrator code after this " +
          'instance had already started running?',
      );
      return id;
    },
  },
  {
    name: 'start-existing-id',
    title: 'starting a running instance id is refused; a finished one is started afresh',
    async run(h, given) {
      const id = await startRunning(h, 'waitForApproval', null, given);
      const again = await h.clientOp('start', { name: 'waitForApproval', instanceId: id });
      expect(again.status).toBe(500);
      await raise(h, id, 'approve', 1);
      await h.finished(id);
      await h.start('activityChain', 'again', id);
      const done = await h.waitFor(
        id,
        (s) => s.name === 'activityChain' && s.runtimeStatus === 'Completed',
        'the second run completed',
      );
      expect(done.output).toEqual(['Hello again 1', 'Hello again 2', 'Hello again 3']);
      return id;
    },
  },
  {
    name: 'version',
    title: 'the version given at start reaches the orchestrator',
    async run(h, given) {
      const started = await h.clientOp('start', {
        name: 'reportsVersion',
        instanceId: given,
        version: '2.0',
      });
      expect(started.status).toBe(200);
      const done = await h.finished(given);
      expect(done.output).toEqual({ version: '2.0' });
      return given;
    },
  },
  {
    name: 'event-to-finished-instance',
    title: 'an event raised to a finished instance is ignored; one to a missing instance is refused',
    async run(h, given) {
      const id = await h.start('activityChain', 'done', given);
      const done = await h.finished(id);
      expect(await h.clientOp('raise', { instanceId: id, eventName: 'approve', data: true })).toMatchObject({
        status: 200,
        body: { ok: true },
      });
      expect(
        await h.clientOp('raise', { instanceId: `${id}-missing`, eventName: 'approve', data: 1 }),
      ).toMatchObject({ status: 500, body: { error: `No instance with ID '${id}-missing' found.` } });
      expect(await h.status(id)).toMatchObject({ runtimeStatus: 'Completed', output: done.output });
      return id;
    },
  },
  {
    name: 'client-terminate-purge',
    title: "durable-functions' client terminates an instance, then purges it once it has ended",
    async run(h, given) {
      const id = await startRunning(h, 'waitForApproval', null, given);
      expect(await h.clientOp('terminate', { instanceId: id, reason: 'stop' })).toMatchObject({
        body: { ok: true },
      });
      expect(await h.finished(id)).toMatchObject({ runtimeStatus: 'Terminated', output: 'stop' });
      expect(await h.clientOp('purge', { instanceId: id })).toMatchObject({
        body: { result: { instancesDeleted: 1 } },
      });
      expect(await h.clientOp('purge', { instanceId: id })).toMatchObject({
        body: { result: { instancesDeleted: 0 } },
      });
      expect(await h.status(id)).toBeUndefined();
      return id;
    },
  },
  {
    name: 'client-errors',
    title:
      "durable-functions' client gets the errors of a running duplicate id and of rewinding a running instance",
    async run(h, given) {
      const id = await startRunning(h, 'waitForApproval', null, given);
      expect(await h.clientOp('start', { name: 'waitForApproval', instanceId: id })).toMatchObject({
        status: 500,
        body: {
          error:
            'The operation failed with an unexpected status code: 409. Details: {"Message":"An Orchestration instance with the status Running already exists."}',
        },
      });
      expect(await h.clientOp('rewind', { instanceId: id, reason: 'x' })).toMatchObject({
        status: 500,
        body: {
          error:
            'This orchestration has status Running, but only orchestrations in the "Failed" state can be rewound.',
        },
      });
      await raise(h, id, 'approve', 2);
      expect((await h.finished(id)).output).toEqual({ approved: 2 });
      return id;
    },
  },
];
