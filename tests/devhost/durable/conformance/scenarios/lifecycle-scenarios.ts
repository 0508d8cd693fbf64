import type { Scenario } from '../scenario';

/** Terminate, suspend/resume, purge, reusing ids, finished instances, failures. */
export const lifecycleScenarios: Scenario[] = [
  {
    name: 'terminate',
    title: 'terminates a waiting instance with the reason as its output',
    async run(h, id) {
      await h.engine.client.startNew('waitForApproval', { instanceId: id });
      await h.settle();
      await h.engine.client.terminate(id, 'no longer needed');
      expect(await h.finished(id)).toMatchObject({ runtimeStatus: 'Terminated', output: 'no longer needed' });
      return id;
    },
  },
  {
    name: 'suspend-resume',
    title: 'holds events while suspended and delivers them on resume',
    async run(h, id) {
      await h.engine.client.startNew('waitForApproval', { instanceId: id });
      await h.settle();
      await expect(h.engine.client.resume(id, 'not suspended')).rejects.toMatchObject({
        code: 'invalid_state',
        message: `Cannot resume the orchestration instance ${id} because instance is in the Running state.`,
      });
      await h.engine.client.suspend(id, 'hold on');
      await h.settle();
      await expect(h.engine.client.purge(id)).rejects.toMatchObject({
        code: 'invalid_state',
        message: `Only orchestrations in a terminal state can be purged, but the orchestration with instance ID ${id} has status Suspended`,
      });
      await expect(h.engine.client.suspend(id, 'twice')).rejects.toMatchObject({
        code: 'invalid_state',
        message: `Cannot suspend the orchestration instance ${id} because instance is in the Suspended state.`,
      });
      await h.engine.client.raiseEvent(id, 'approve', 'while suspended');
      await h.settle();
      expect((await h.engine.client.getStatus(id))?.runtimeStatus).toBe('Suspended');
      await h.engine.client.resume(id, 'carry on');
      expect(await h.finished(id)).toMatchObject({
        runtimeStatus: 'Completed',
        output: { approved: 'while suspended' },
      });
      return id;
    },
  },
  {
    name: 'purge',
    title: 'purges a finished instance so its status is gone, and reports nothing to purge after',
    async run(h, id) {
      await h.engine.client.startNew('activityChain', { instanceId: id, input: 'Purge' });
      await h.finished(id);
      expect(await h.engine.client.purge(id)).toEqual({ instancesDeleted: 1 });
      expect(await h.engine.client.getStatus(id)).toBeUndefined();
      expect(await h.engine.client.purge(id)).toEqual({ instancesDeleted: 0 });
      return undefined;
    },
  },
  {
    name: 'start-existing-id',
    title: 'refuses to start an instance id that is running and restarts one that finished',
    async run(h, id) {
      await h.engine.client.startNew('waitForApproval', { instanceId: id });
      await h.settle();
      await expect(h.engine.client.startNew('waitForApproval', { instanceId: id })).rejects.toMatchObject({
        code: 'instance_exists',
        message: 'An Orchestration instance with the status Running already exists.',
      });
      await h.engine.client.raiseEvent(id, 'approve', 1);
      await h.finished(id);
      await h.engine.client.startNew('activityChain', { instanceId: id, input: 'again' });
      expect(await h.finished(id)).toMatchObject({
        name: 'activityChain',
        runtimeStatus: 'Completed',
        output: ['Hello again 1', 'Hello again 2', 'Hello again 3'],
      });
      return id;
    },
  },
  {
    name: 'event-to-finished-instance',
    title: 'ignores an event raised to a finished instance and rejects one for a missing instance',
    async run(h, id) {
      await h.engine.client.startNew('activityChain', { instanceId: id, input: 'Done' });
      const done = await h.finished(id);
      await expect(h.engine.client.raiseEvent(id, 'approve', true)).resolves.toBeUndefined();
      await h.settle();
      expect(await h.engine.client.getStatus(id)).toEqual(done);
      await expect(h.engine.client.raiseEvent(`${id}-missing`, 'approve', true)).rejects.toMatchObject({
        code: 'instance_not_found',
        message: `No instance with ID '${id}-missing' found.`,
      });
      return undefined;
    },
  },
  {
    name: 'non-deterministic',
    title: 'fails a non-deterministic orchestrator with the Durable Task Framework message on replay',
    async run(h, id) {
      await h.engine.client.startNew('nonDeterministic', { instanceId: id });
      expect(await h.finished(id)).toMatchObject({
        runtimeStatus: 'Failed',
        output:
          'Non-Deterministic workflow detected: A previous execution of this orchestration scheduled an activity task ' +
          "with sequence number 0 named 'sayHello', but the current orchestration replay instead scheduled an activity " +
          "task named 'double' with this sequence number.  Was a change made to the orchestrator code after this " +
          'instance had already started running?',
      });
      return id;
    },
  },
  {
    name: 'orchestrator-throws',
    title: 'fails with "Orchestrator function \'X\' failed" when the orchestrator throws',
    async run(h, id) {
      await h.engine.client.startNew('throwsAfterActivity', { instanceId: id });
      expect(await h.finished(id)).toMatchObject({
        runtimeStatus: 'Failed',
        output: "Orchestrator function 'throwsAfterActivity' failed: the orchestrator gave up",
      });
      return id;
    },
  },
  {
    name: 'version',
    title: 'passes the version given at start to the orchestrator, and the empty default otherwise',
    async run(h, id) {
      await h.engine.client.startNew('reportsVersion', { instanceId: id, version: '2.0' });
      expect(await h.finished(id)).toMatchObject({ output: { version: '2.0' } });
      await h.engine.client.startNew('reportsVersion', { instanceId: `${id}-default` });
      expect(await h.finished(`${id}-default`)).toMatchObject({ output: { version: '' } });
      return id;
    },
  },
];
