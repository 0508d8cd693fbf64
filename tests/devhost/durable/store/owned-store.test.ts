import type { InstanceStore } from '../../../../devhost/durable/store/instance-store';
import { createMemoryStore } from '../../../../devhost/durable/store/memory-store';
import { ownedStore } from '../../../../devhost/durable/store/owned-store';
import { eventRaised } from '../../../../devhost/durable/history/event-builders';
import { inboxMessage, instanceRecord } from '../support/instance-records';

/** A memory store that counts the reads made of it. */
function countingStore(): { store: InstanceStore; reads: () => number } {
  const inner = createMemoryStore();
  let reads = 0;
  const counted =
    <A extends unknown[], R>(read: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      reads += 1;
      return read(...args);
    };
  return {
    store: {
      ...inner,
      getInstance: counted(inner.getInstance),
      readInbox: counted(inner.readInbox),
      readHistory: counted(inner.readHistory),
    },
    reads: () => reads,
  };
}

describe('the engine-owned view of the store', () => {
  it('answers reads of what the engine wrote without reading the store, and matches the store', async () => {
    const { store: inner, reads } = countingStore();
    const store = ownedStore(inner);
    const etag = await store.createInstance(instanceRecord('a'), inboxMessage('start~exec1', '1'));
    expect(await store.getInstance('a')).toEqual({ record: instanceRecord('a'), etag });
    expect(await store.readHistory('a', 'exec1')).toEqual([]);
    expect(await store.addMessage('a', inboxMessage('event~x', '2'))).toBe(true);
    expect((await store.readInbox('a')).map((m) => m.id)).toEqual(['start~exec1', 'event~x']);
    const events = [eventRaised('2026-01-01T00:00:00Z', 'e', null)];
    const next = { ...instanceRecord('a'), runtimeStatus: 'Running' as const, episodes: 1 };
    const newEtag = await store.commitEpisode({
      instanceId: 'a',
      etag: etag!,
      record: next,
      append: { executionId: 'exec1', chunk: 0, events },
      consumed: ['start~exec1'],
    });
    expect(await store.getInstance('a')).toEqual({ record: next, etag: newEtag });
    expect((await store.readInbox('a')).map((m) => m.id)).toEqual(['event~x']);
    expect(reads()).toBe(0);
    // What it answered is what the store holds.
    expect(await inner.getInstance('a')).toEqual({ record: next, etag: newEtag });
    expect((await inner.readInbox('a')).map((m) => m.id)).toEqual(['event~x']);
    expect(await store.readHistory('a', 'exec1')).toEqual(events);
  });

  it('reads the store again after a commit failed, so a stale etag costs one retry, not a wrong state', async () => {
    const { store: inner, reads } = countingStore();
    const store = ownedStore(inner);
    const etag = (await store.createInstance(instanceRecord('b'), inboxMessage('start~exec1', '1')))!;
    // Someone else wrote the instance (a second writer the engine does not coordinate with).
    const theirs = { ...instanceRecord('b'), runtimeStatus: 'Running' as const };
    const theirEtag = await inner.commitEpisode({ instanceId: 'b', etag, record: theirs, consumed: [] });
    await expect(
      store.commitEpisode({ instanceId: 'b', etag, record: instanceRecord('b'), consumed: [] }),
    ).rejects.toMatchObject({ code: 'store_conflict' });
    expect(await store.getInstance('b')).toEqual({ record: theirs, etag: theirEtag });
    expect(reads()).toBe(1);
  });

  it('forgets a purged instance and does not vouch for it when a message arrives', async () => {
    const store = ownedStore(createMemoryStore());
    await store.createInstance(instanceRecord('c'), inboxMessage('start~exec1', '1'));
    expect(await store.purgeInstance('c')).toBe(true);
    expect(await store.getInstance('c')).toBeUndefined();
    expect(await store.addMessage('c', inboxMessage('event~y', '2'))).toBe(false);
  });

  it('knows a continued-as-new execution starts with no history and its start message queued', async () => {
    const { store: inner, reads } = countingStore();
    const store = ownedStore(inner);
    const etag = (await store.createInstance(instanceRecord('d'), inboxMessage('start~exec1', '1')))!;
    await store.getInstance('d');
    const next = instanceRecord('d', { executionId: 'exec2', runtimeStatus: 'ContinuedAsNew' });
    await store.commitEpisode({
      instanceId: 'd',
      etag,
      record: next,
      append: { executionId: 'exec1', chunk: 0, events: [eventRaised('2026-01-01T00:00:00Z', 'e', null)] },
      consumed: ['start~exec1'],
      enqueue: [inboxMessage('start~exec2', '2')],
    });
    expect(await store.readHistory('d', 'exec2')).toEqual([]);
    expect((await store.readInbox('d')).map((m) => m.id)).toEqual(['start~exec2']);
    expect(reads()).toBe(0);
    expect((await inner.readInbox('d')).map((m) => m.id)).toEqual(['start~exec2']);
  });
});
