/**
 * durable-functions' own DurableClient (the conformance fixture's `clientOp` function) driving one
 * instance through start, status and a raised event: the same calls and answers on the emulation
 * (every store) and on the real engine.
 */

/** What the round trip needs of a host: the fixture's client, and waits on the instance. */
export interface ClientHost {
  clientOp(op: string, args: unknown): Promise<{ status: number; body: unknown }>;
  /** Returns once the started instance runs (waits for its event). */
  untilRunning(instanceId: string): Promise<unknown>;
  /** Returns once the instance has finished. */
  finished(instanceId: string): Promise<unknown>;
}

interface ClientStatus {
  runtimeStatus: string;
  history?: unknown;
}

/**
 * Starts `waitForApproval` under `id` with DurableClient, reads its status while it waits, raises
 * its `approve` event and reads the completed status with history.
 */
export async function clientRoundTrip(h: ClientHost, id: string): Promise<void> {
  const started = await h.clientOp('start', {
    name: 'waitForApproval',
    instanceId: id,
    input: { who: 'ada' },
  });
  expect(started).toMatchObject({ status: 200, body: { id } });
  await h.untilRunning(id);
  const running = (await h.clientOp('status', { instanceId: id })).body as { status: ClientStatus };
  expect(running.status).toMatchObject({
    instanceId: id,
    name: 'waitForApproval',
    runtimeStatus: 'Running',
    input: { who: 'ada' },
  });
  expect(await h.clientOp('raise', { instanceId: id, eventName: 'approve', data: 'yes' })).toMatchObject({
    status: 200,
    body: { ok: true },
  });
  await h.finished(id);
  const withHistory = (
    await h.clientOp('status', { instanceId: id, options: { showHistory: true, showHistoryOutput: true } })
  ).body as { status: ClientStatus };
  expect(withHistory.status).toMatchObject({ runtimeStatus: 'Completed', output: { approved: 'yes' } });
  // durable-functions reads `history` while the extension sends `historyEvents` (durable-js #620).
  expect(withHistory.status.history).toBeUndefined();
}
