import { clientRoundTrip } from '../../support/client-round-trip';
import type { Scenario } from '../scenario';

interface ClientStatus {
  instanceId: string;
  name: string;
  runtimeStatus: string;
  input: unknown;
  output: unknown;
  customStatus: unknown;
  createdTime: string;
  history?: unknown;
}

/** The management API as durable-functions' own DurableClient uses it (through the fixture's HTTP function). */
export const clientScenarios: Scenario[] = [
  {
    name: 'client-start-raise-status',
    title:
      'lets DurableClient start an instance, read its status with and without history, and raise its event',
    async run(h, id) {
      // The virtual clock: the instance runs once the engine has nothing left to do.
      await clientRoundTrip(
        {
          clientOp: (op, args) => h.clientOp(op, args),
          untilRunning: () => h.settle(),
          finished: (instanceId) => h.finished(instanceId),
        },
        id,
      );
      const raw = await fetch(
        `${h.server.origin}/runtime/webhooks/durabletask/instances/${id}?showHistory=true&showHistoryOutput=true`,
      );
      const body = (await raw.json()) as { historyEvents: Array<{ EventType: string; Result?: unknown }> };
      expect(body.historyEvents.map((e) => e.EventType)).toEqual([
        'ExecutionStarted',
        'EventRaised',
        'ExecutionCompleted',
      ]);
      expect(body.historyEvents[2]).toMatchObject({
        OrchestrationStatus: 'Completed',
        Result: { approved: 'yes' },
      });
      return id;
    },
  },
  {
    name: 'client-status-by',
    title: 'lets DurableClient query instances by runtime status and creation time',
    async run(h, id) {
      const from = h.clock.now().toISOString();
      await h.clientOp('start', { name: 'activityChain', instanceId: id, input: 'query' });
      await h.finished(id);
      const completed = (
        await h.clientOp('statusBy', { filter: { createdTimeFrom: from, runtimeStatus: ['Completed'] } })
      ).body as { statuses: ClientStatus[] };
      expect(completed.statuses.map((s) => s.instanceId)).toContain(id);
      const running = (
        await h.clientOp('statusBy', { filter: { createdTimeFrom: from, runtimeStatus: ['Running'] } })
      ).body as { statuses: ClientStatus[] };
      expect(running.statuses.map((s) => s.instanceId)).not.toContain(id);
      return undefined;
    },
  },
  {
    name: 'client-terminate-purge',
    title: 'lets DurableClient terminate and purge an instance',
    async run(h, id) {
      await h.clientOp('start', { name: 'waitForApproval', instanceId: id });
      await h.settle();
      // The extension (3.x) refuses to purge an instance that has not finished: 412, which the client throws.
      expect(await h.clientOp('purge', { instanceId: id })).toMatchObject({
        status: 500,
        body: { error: expect.stringContaining('unexpected status code: 412') },
      });
      expect(await h.clientOp('terminate', { instanceId: id, reason: 'stop' })).toMatchObject({
        body: { ok: true },
      });
      expect(await h.finished(id)).toMatchObject({ runtimeStatus: 'Terminated', output: 'stop' });
      expect(await h.clientOp('terminate', { instanceId: id, reason: 'again' })).toMatchObject({
        body: { ok: true },
      });
      expect(await h.clientOp('purge', { instanceId: id })).toMatchObject({
        body: { result: { instancesDeleted: 1 } },
      });
      expect(await h.clientOp('purge', { instanceId: id })).toMatchObject({
        body: { result: { instancesDeleted: 0 } },
      });
      expect(await h.clientOp('status', { instanceId: id })).toMatchObject({
        status: 500,
        body: { error: expect.stringContaining('HTTP 404') },
      });
      return undefined;
    },
  },
  {
    name: 'client-check-status-response',
    title: "builds createCheckStatusResponse links on the request's origin that the host answers",
    async run(h, id) {
      await h.clientOp('start', { name: 'waitForApproval', instanceId: id });
      const response = await h.clientOp('checkStatus', { instanceId: id });
      const body = response.body as Record<string, string>;
      const statusUri = `${h.server.origin}/runtime/webhooks/durabletask/instances/${id}?taskHub=ConformanceHub&connection=Storage`;
      expect(response.status).toBe(202);
      expect(body).toMatchObject({ id, statusQueryGetUri: statusUri, purgeHistoryDeleteUri: statusUri });
      expect(body.sendEventPostUri).toBe(
        `${h.server.origin}/runtime/webhooks/durabletask/instances/${id}/raiseEvent/{eventName}?taskHub=ConformanceHub&connection=Storage`,
      );
      const polled = await fetch(statusUri);
      expect(polled.status).toBe(202);
      expect(polled.headers.get('retry-after')).toBe('5');
      const raised = await fetch(body.sendEventPostUri!.replace('{eventName}', 'approve'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify('via link'),
      });
      expect(raised.status).toBe(202);
      expect(await h.finished(id)).toMatchObject({ output: { approved: 'via link' } });
      expect((await fetch(statusUri)).status).toBe(200);
      return undefined;
    },
  },
  {
    name: 'client-errors',
    title:
      'gives DurableClient the errors it expects for a running duplicate id, a missing instance and rewind',
    async run(h, id) {
      await h.clientOp('start', { name: 'waitForApproval', instanceId: id });
      await h.settle();
      expect(await h.clientOp('start', { name: 'waitForApproval', instanceId: id })).toMatchObject({
        status: 500,
        body: {
          error:
            'The operation failed with an unexpected status code: 409. Details: {"Message":"An Orchestration instance with the status Running already exists."}',
        },
      });
      expect(
        await h.clientOp('raise', { instanceId: `${id}-missing`, eventName: 'approve', data: 1 }),
      ).toMatchObject({
        status: 500,
        body: { error: `No instance with ID '${id}-missing' found.` },
      });
      expect(await h.clientOp('rewind', { instanceId: id, reason: 'x' })).toMatchObject({
        status: 500,
        body: {
          error:
            'This orchestration has status Running, but only orchestrations in the "Failed" state can be rewound.',
        },
      });
      expect(await h.clientOp('suspend', { instanceId: id, reason: 'pause' })).toMatchObject({
        body: { ok: true },
      });
      await h.waitFor(id, (s) => s.runtimeStatus === 'Suspended');
      // The extension refuses to suspend a suspended instance or resume a running one (500).
      expect(await h.clientOp('suspend', { instanceId: id, reason: 'again' })).toMatchObject({
        status: 500,
        body: { error: expect.stringContaining('unexpected status code: 500') },
      });
      expect(await h.clientOp('resume', { instanceId: id, reason: 'go' })).toMatchObject({
        body: { ok: true },
      });
      await h.waitFor(id, (s) => s.runtimeStatus === 'Running');
      expect(await h.clientOp('resume', { instanceId: id, reason: 'again' })).toMatchObject({
        status: 500,
        body: { error: expect.stringContaining('unexpected status code: 500') },
      });
      expect(await h.clientOp('raise', { instanceId: id, eventName: 'approve', data: 2 })).toMatchObject({
        body: { ok: true },
      });
      await h.finished(id);
      expect(await h.clientOp('raise', { instanceId: id, eventName: 'approve', data: 3 })).toMatchObject({
        body: { ok: true },
      });
      return undefined;
    },
  },
];
