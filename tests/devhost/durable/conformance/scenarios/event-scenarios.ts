import { DAY, HOUR, type Scenario } from '../scenario';

/** External events and timers racing them, custom status, continue-as-new. */
export const eventScenarios: Scenario[] = [
  {
    name: 'event-or-timer-event-wins',
    title: 'completes with the event when it arrives before the 24-hour timer in a Task.any',
    async run(h, id) {
      await h.engine.client.startNew('eventOrTimer', { instanceId: id, input: { timeoutMs: DAY } });
      await h.settle();
      await h.advance(HOUR);
      expect((await h.engine.client.getStatus(id))?.runtimeStatus).toBe('Running');
      await h.engine.client.raiseEvent(id, 'approve', { by: 'grace' });
      expect(await h.finished(id)).toMatchObject({
        runtimeStatus: 'Completed',
        output: { winner: 'event', value: { by: 'grace' } },
      });
      return id;
    },
  },
  {
    name: 'event-or-timer-timer-wins',
    title: 'completes with the timer when no event arrives within 24 hours of virtual time',
    async run(h, id) {
      const start = h.clock.now().getTime();
      await h.engine.client.startNew('eventOrTimer', { instanceId: id, input: { timeoutMs: DAY } });
      await h.settle();
      await h.advance(DAY - 1);
      expect((await h.engine.client.getStatus(id))?.runtimeStatus).toBe('Running');
      await h.advance(1);
      expect(await h.finished(id)).toMatchObject({
        runtimeStatus: 'Completed',
        output: { winner: 'timer', at: new Date(start + DAY).toISOString() },
      });
      return id;
    },
  },
  {
    name: 'event-before-wait',
    title: 'delivers an event raised before the orchestrator waits for it',
    async run(h, id) {
      await h.engine.client.startNew('eventBeforeWait', { instanceId: id });
      await h.engine.client.raiseEvent(id, 'early', 'first!');
      expect(await h.finished(id)).toMatchObject({ runtimeStatus: 'Completed', output: { value: 'first!' } });
      return id;
    },
  },
  {
    name: 'custom-status',
    title: 'shows the custom status the orchestrator set, while it waits and after it completes',
    async run(h, id) {
      await h.engine.client.startNew('customStatusSteps', { instanceId: id });
      await h.settle();
      expect(await h.engine.client.getStatus(id)).toMatchObject({
        runtimeStatus: 'Running',
        customStatus: { step: 1 },
      });
      await h.engine.client.raiseEvent(id, 'next', 'go');
      expect(await h.finished(id)).toMatchObject({
        runtimeStatus: 'Completed',
        customStatus: { step: 2, got: 'go' },
        output: 'done',
      });
      return id;
    },
  },
  {
    name: 'custom-status-too-large',
    title: "fails with the extension's message when the custom status exceeds 16 KB of UTF-16",
    async run(h, id) {
      await h.engine.client.startNew('oversizeCustomStatus', { instanceId: id });
      expect(await h.finished(id)).toMatchObject({
        runtimeStatus: 'Failed',
        output:
          "Orchestrator function 'oversizeCustomStatus' failed: The UTF-16 size of the JSON-serialized payload must not " +
          'exceed 16 KB. The current payload size is 17 KB.',
      });
      return id;
    },
  },
  {
    name: 'continue-as-new',
    title: 'continues as new with a fresh history until the counter reaches its maximum',
    async run(h, id) {
      await h.engine.client.startNew('counterContinueAsNew', { instanceId: id, input: { n: 0, max: 3 } });
      expect(await h.finished(id)).toMatchObject({
        runtimeStatus: 'Completed',
        output: 3,
        input: { n: 3, max: 3 },
      });
      const recording = await h.engine.recording(id);
      expect(recording.executions).toHaveLength(4);
      return id;
    },
  },
  {
    name: 'continue-as-new-drops-pending-event',
    title: 'drops an unconsumed event at continue-as-new and delivers an event raised afterwards',
    async run(h, id) {
      await h.engine.client.startNew('dropEventOnContinueAsNew', {
        instanceId: id,
        input: { generation: 0 },
      });
      await h.settle();
      await h.engine.client.raiseEvent(id, 'ping', 'early');
      await h.settle();
      await h.advance(HOUR);
      expect(await h.engine.client.getStatus(id)).toMatchObject({
        runtimeStatus: 'Running',
        input: { generation: 1 },
      });
      await h.engine.client.raiseEvent(id, 'ping', 'late');
      expect(await h.finished(id)).toMatchObject({
        runtimeStatus: 'Completed',
        output: { generation: 1, value: 'late' },
      });
      return id;
    },
  },
];
