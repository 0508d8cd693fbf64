import { BlobServiceClient } from '@azure/storage-blob';
import { createTableStore, type InstanceStore } from '../../../../devhost/durable';
import { eventRaised } from '../../../../devhost/durable/history/event-builders';
import { inboxMessage, instanceRecord } from '../support/instance-records';
import { useInMemoryAzurite } from '../../../support/in-memory-azurite';

// At the file's level, so it stops after the suite's own afterAll has closed the store.
const azurite = useInMemoryAzurite('table-store');

describe('the Table + Blob instance store', () => {
  let store: InstanceStore;

  beforeAll(async () => {
    store = await createTableStore({ connectionString: azurite().connectionString, hubName: 'StoreHub' });
  });

  afterAll(async () => {
    await store.close();
  });

  it('creates an instance once, with its start message, and refuses to create it again', async () => {
    const etag = await store.createInstance(instanceRecord('once'), inboxMessage('start~exec1', '1'));
    expect(
      await store.createInstance(instanceRecord('once'), inboxMessage('start~exec1', '1')),
    ).toBeUndefined();
    expect(await store.getInstance('once')).toEqual({ record: instanceRecord('once'), etag });
    expect((await store.readInbox('once')).map((m) => m.id)).toEqual(['start~exec1']);
  });

  it('stores a message id once and keeps messages in arrival order', async () => {
    await store.createInstance(instanceRecord('inbox'), inboxMessage('start~exec1', '0001'));
    expect(await store.addMessage('inbox', inboxMessage('event~b', '0003'))).toBe(true);
    expect(await store.addMessage('inbox', inboxMessage('event~a', '0002'))).toBe(true);
    expect(await store.addMessage('inbox', inboxMessage('event~a', '0004'))).toBe(false);
    expect((await store.readInbox('inbox')).map((m) => m.id)).toEqual(['start~exec1', 'event~a', 'event~b']);
    expect(await store.addMessage('no-such-instance', inboxMessage('event~x', '1'))).toBe(false);
    expect(await store.addMessage('inbox', inboxMessage('event~c', '0005'), { instanceExists: true })).toBe(
      true,
    );
    expect(await store.addMessage('inbox', inboxMessage('event~c', '0006'), { instanceExists: true })).toBe(
      false,
    );
  });

  it('commits an episode atomically and rejects a commit made with a stale etag', async () => {
    await store.createInstance(instanceRecord('commit'), inboxMessage('start~exec1', '1'));
    const stored = (await store.getInstance('commit'))!;
    const next = { ...stored.record, runtimeStatus: 'Running' as const, episodes: 1 };
    const events = [eventRaised('2026-01-01T00:00:00Z', 'e', null)];
    const etag = await store.commitEpisode({
      instanceId: 'commit',
      etag: stored.etag,
      record: next,
      append: { executionId: 'exec1', chunk: 0, events },
      consumed: ['start~exec1'],
    });
    expect(etag).not.toBe(stored.etag);
    expect(await store.readInbox('commit')).toEqual([]);
    expect(await store.readHistory('commit', 'exec1')).toEqual(events);
    await expect(
      store.commitEpisode({
        instanceId: 'commit',
        etag: stored.etag,
        record: { ...next, episodes: 2 },
        append: { executionId: 'exec1', chunk: 1, events },
        consumed: [],
        enqueue: [inboxMessage('event~late', '2')],
      }),
    ).rejects.toMatchObject({ code: 'store_conflict' });
    // The refused commit wrote none of its rows; the etag the good one returned is the current one.
    expect(await store.getInstance('commit')).toEqual({ record: next, etag });
    expect(await store.readInbox('commit')).toEqual([]);
    expect(await store.readHistory('commit', 'exec1')).toEqual(events);
  });

  it('replaces an instance (a restart) only at the etag it was read with', async () => {
    const first = (await store.createInstance(instanceRecord('restart'), inboxMessage('start~exec1', '1')))!;
    const restarted = instanceRecord('restart', { input: '"again"', executionId: 'exec2' });
    const etag = await store.createInstance(restarted, inboxMessage('start~exec2', '2'), first);
    expect(etag).toBeDefined();
    expect(await store.getInstance('restart')).toEqual({ record: restarted, etag });
    expect(
      await store.createInstance(instanceRecord('restart'), inboxMessage('start~exec3', '3'), first),
    ).toBeUndefined();
    expect((await store.readInbox('restart')).map((m) => m.id)).toEqual(['start~exec1', 'start~exec2']);
  });

  it('keeps values over 60 KB in blobs and reads them back, and a purge deletes them', async () => {
    const big = JSON.stringify('x'.repeat(100_000));
    await store.createInstance(instanceRecord('big', { input: big }), inboxMessage('start~exec1', '1', big));
    expect((await store.getInstance('big'))?.record.input).toBe(big);
    const [start] = await store.readInbox('big');
    expect(start?.event).toMatchObject({ Input: big });

    const container = BlobServiceClient.fromConnectionString(azurite().connectionString).getContainerClient(
      'devhost-storehub',
    );
    const names = async (): Promise<string[]> => {
      const found: string[] = [];
      for await (const blob of container.listBlobsFlat({ prefix: 'big/' })) found.push(blob.name);
      return found;
    };
    // One blob per large value: the record input and the start message event.
    expect(await names()).toHaveLength(2);
    expect(await store.purgeInstance('big')).toBe(true);
    expect(await names()).toEqual([]);
    expect(await store.getInstance('big')).toBeUndefined();
    expect(await store.purgeInstance('big')).toBe(false);
  });

  it('deletes the history of an execution that is no longer current', async () => {
    await store.createInstance(instanceRecord('old'), inboxMessage('start~exec1', '1'));
    const stored = (await store.getInstance('old'))!;
    await store.commitEpisode({
      instanceId: 'old',
      etag: stored.etag,
      record: stored.record,
      append: { executionId: 'exec1', chunk: 0, events: [eventRaised('2026-01-01T00:00:00Z', 'e', null)] },
      consumed: [],
    });
    await store.deleteHistory('old', 'exec1');
    expect(await store.readHistory('old', 'exec1')).toEqual([]);
    expect(await store.getInstance('old')).toBeDefined();
  });
});
