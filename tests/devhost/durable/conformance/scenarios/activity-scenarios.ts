import { advanceUntilFinished, DAY, historyTypes, type Scenario } from '../scenario';

/** Activities: chains, fan-out/fan-in, retries, unknown activities, concurrency. */
export const activityScenarios: Scenario[] = [
  {
    name: 'activity-chain',
    title: 'runs an activity chain in order and completes with the results',
    async run(h, id) {
      await h.engine.client.startNew('activityChain', { instanceId: id, input: 'Ada' });
      const status = await h.finished(id);
      expect(status).toMatchObject({
        runtimeStatus: 'Completed',
        input: 'Ada',
        output: ['Hello Ada 1', 'Hello Ada 2', 'Hello Ada 3'],
      });
      expect(await historyTypes(h, id)).toEqual([
        'ExecutionStarted',
        'TaskCompleted',
        'TaskCompleted',
        'TaskCompleted',
        'ExecutionCompleted',
      ]);
      return id;
    },
  },
  {
    name: 'fan-out-fan-in',
    title: 'fans out activities with Task.all and sums their results',
    async run(h, id) {
      await h.engine.client.startNew('fanOutFanIn', { instanceId: id, input: [1, 2, 3, 4, 5] });
      expect(await h.finished(id)).toMatchObject({ runtimeStatus: 'Completed', output: 30 });
      return id;
    },
  },
  {
    name: 'retry-twice-then-succeed',
    title: 'retries an activity that fails twice and completes with the third attempt',
    async run(h, id) {
      await h.engine.client.startNew('retryTwiceThenSucceed', { instanceId: id });
      await h.settle();
      await advanceUntilFinished(h, id, 1000);
      expect(await h.finished(id)).toMatchObject({
        runtimeStatus: 'Completed',
        output: { key: id, attempt: 3 },
      });
      const status = await h.engine.client.getStatus(id, { showHistory: true, showHistoryOutput: true });
      const kinds = (status?.historyEvents ?? []).map((e) => (e as { EventType: string }).EventType);
      expect(kinds).toEqual([
        'ExecutionStarted',
        'TaskFailed',
        'TimerCreated',
        'TimerFired',
        'TaskFailed',
        'TimerCreated',
        'TimerFired',
        'TaskCompleted',
        'ExecutionCompleted',
      ]);
      return id;
    },
  },
  {
    name: 'retry-exhausted',
    title: "fails with the activity's message once every retry attempt has failed",
    async run(h, id) {
      await h.engine.client.startNew('retryExhausted', { instanceId: id });
      await h.settle();
      await advanceUntilFinished(h, id, 1000);
      const status = await h.finished(id);
      expect(status.runtimeStatus).toBe('Failed');
      expect(status.output).toMatch(
        /^Orchestrator function 'retryExhausted' failed: Activity function 'flaky' failed: {2}flaky attempt 2 failed \n \{/,
      );
      return id;
    },
  },
  {
    name: 'unknown-activity',
    title: "fails with the extension's message when the orchestrator calls an activity that does not exist",
    async run(h, id) {
      await h.engine.client.startNew('callsMissingActivity', { instanceId: id });
      expect(await h.finished(id)).toMatchObject({
        runtimeStatus: 'Failed',
        output:
          "Orchestrator function 'callsMissingActivity' failed: The function 'noSuchActivity' doesn't exist, is disabled, " +
          "or is not an activity function. Additional info: The following are the known activity functions: 'sayHello', " +
          "'double', 'flaky', 'gatedWork', 'gateStats', 'logStep', 'blockingStep'.",
      });
      return id;
    },
  },
  {
    name: 'concurrency-bound',
    title: 'never runs more activities at once than maxConcurrentActivityFunctions allows',
    async run(h, id) {
      const limit = h.engine.settings.maxConcurrentActivityFunctions;
      await h.engine.client.startNew('concurrencyFanOut', {
        instanceId: id,
        input: { runId: id, total: 8, limit },
      });
      expect(await h.finished(id)).toMatchObject({
        runtimeStatus: 'Completed',
        output: { max: limit, started: 8 },
      });
      return undefined;
    },
  },
  {
    name: 'long-timer',
    title: 'fires a timer longer than six days in three-day pieces on the virtual clock',
    async run(h, id) {
      const start = h.clock.now().getTime();
      await h.engine.client.startNew('longTimer', { instanceId: id, input: { days: 7 } });
      await h.settle();
      await advanceUntilFinished(h, id, DAY);
      const status = await h.finished(id);
      expect(status.runtimeStatus).toBe('Completed');
      expect(status.output).toBe(new Date(start + 7 * DAY).toISOString());
      const types = await historyTypes(h, id);
      expect(types.filter((t) => t === 'TimerCreated')).toHaveLength(3);
      return id;
    },
  },
  {
    name: 'mixed-tasks',
    title:
      'lines up ids of a retried activity, an activity and an event racing an 8-day timer inside one Task.all',
    async run(h, id) {
      await h.engine.client.startNew('mixedTasks', { instanceId: id });
      await h.settle();
      await h.advance(1000);
      await h.engine.client.raiseEvent(id, 'approve', 'ok');
      expect(await h.finished(id)).toMatchObject({
        runtimeStatus: 'Completed',
        output: { first: { key: id, attempt: 2 }, second: 'Hello mixed', won: 'event', after: 42 },
      });
      return id;
    },
  },
];
