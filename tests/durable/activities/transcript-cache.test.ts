import { TableClient } from '@azure/data-tables';
import type { TranscriptMessage } from '../../../src/core/messages';
import { TranscriptCache } from '../../../src/durable/activities/transcript-cache';
import { TableRunStore } from '../../../src/durable/store/table-run-store';
import { messageKey } from '../../../src/durable/store/row-keys';
import { useInMemoryAzurite } from '../../support/in-memory-azurite';

function user(text: string): TranscriptMessage {
  return { role: 'user', text };
}

describe('the transcript cache (against Azurite)', () => {
  const azurite = useInMemoryAzurite('transcript-cache');
  let store: TableRunStore;
  let messagesTable: TableClient;
  let runNumber = 0;
  const newRun = () => `cache-run-${++runNumber}`;

  beforeAll(() => {
    store = new TableRunStore({
      kind: 'connection-string',
      connectionString: azurite().connectionString,
      tablePrefix: 'CacheTest',
    });
    messagesTable = TableClient.fromConnectionString(azurite().connectionString, 'CacheTestEvents', {
      allowInsecureConnection: true,
    });
  });

  it('reads only the messages after the ones it holds', async () => {
    const run = newRun();
    const cache = new TranscriptCache();
    await store.saveMessages(run, 0, [user('a'), user('b'), user('c')]);
    expect(await cache.read(store, run, 2)).toEqual([user('a'), user('b')]);
    // Gone from the store, still known here: a later read does not ask for them again.
    await messagesTable.deleteEntity(run, messageKey(0));
    await messagesTable.deleteEntity(run, messageKey(1));
    expect(await cache.read(store, run, 3)).toEqual([user('a'), user('b'), user('c')]);
    expect(await cache.read(store, run, 1)).toEqual([user('a')]);
  });

  it('reads right from a store that predates the start position and reads from 0 whatever it is asked', async () => {
    const run = newRun();
    const cache = new TranscriptCache();
    const olderStore = Object.assign(Object.create(store) as TableRunStore, {
      readMessages: (key: string, count: number) => store.readMessages(key, count),
    });
    await store.saveMessages(run, 0, [user('a'), user('b'), user('c')]);
    expect(await cache.read(olderStore, run, 1)).toEqual([user('a')]);
    expect(await cache.read(olderStore, run, 3)).toEqual([user('a'), user('b'), user('c')]);
  });

  it('keeps a remembered transcript, never a shorter one, and forgets a finished run', async () => {
    const run = newRun();
    const cache = new TranscriptCache();
    cache.remember(run, [user('a'), user('b')]);
    cache.remember(run, [user('a')]);
    expect(await cache.read(store, run, 2)).toEqual([user('a'), user('b')]);
    cache.forget(run);
    await expect(cache.read(store, run, 2)).rejects.toThrow(/missing message 0/);
  });

  it('keeps at most its number of runs, dropping the one extended longest ago', async () => {
    const cache = new TranscriptCache(2);
    const [first, second, third] = [newRun(), newRun(), newRun()];
    cache.remember(first, [user('1')]);
    cache.remember(second, [user('2')]);
    cache.remember(first, [user('1'), user('1b')]);
    cache.remember(third, [user('3')]);
    expect(await cache.read(store, first, 2)).toEqual([user('1'), user('1b')]);
    expect(await cache.read(store, third, 1)).toEqual([user('3')]);
    await expect(cache.read(store, second, 1)).rejects.toThrow(/missing message 0/);
  });

  describe('which attempts of a turn it knows to be the first in this process', () => {
    it('knows the first attempt of each turn of a run that started here, and no later attempt', () => {
      const cache = new TranscriptCache();
      cache.started('started-here');
      expect(cache.beginAttempt('started-here', 6)).toBe(true);
      // A second attempt of the same turn (a retry, or a duplicate delivery) ran after the first here.
      expect(cache.beginAttempt('started-here', 6)).toBe(false);
      expect(cache.beginAttempt('started-here', 12)).toBe(true);
      expect(cache.beginAttempt('started-here', 12)).toBe(false);
      // An earlier turn's attempt arriving late is not a first one either.
      expect(cache.beginAttempt('started-here', 6)).toBe(false);
    });

    it('knows none of a run it did not keep (started elsewhere, or before a restart), and the next turns of it after that', () => {
      const cache = new TranscriptCache();
      expect(cache.beginAttempt('started-elsewhere', 6)).toBe(false);
      expect(cache.beginAttempt('started-elsewhere', 6)).toBe(false);
      expect(cache.beginAttempt('started-elsewhere', 12)).toBe(true);
    });

    it('keeps what it noted when the transcript grows, and a start noted twice changes nothing', async () => {
      const run = newRun();
      const cache = new TranscriptCache();
      cache.started(run);
      expect(cache.beginAttempt(run, 6)).toBe(true);
      cache.remember(run, [user('a')]);
      cache.started(run);
      await store.saveMessages(run, 1, [user('b')]);
      expect(await cache.read(store, run, 2)).toEqual([user('a'), user('b')]);
      expect(cache.beginAttempt(run, 6)).toBe(false);
      expect(cache.beginAttempt(run, 9)).toBe(true);
    });

    it('knows no turn of a run it kept again after evicting it: attempts may have begun here unnoted', () => {
      const cache = new TranscriptCache(1);
      cache.started('evicted');
      expect(cache.beginAttempt('evicted', 6)).toBe(true);
      cache.started('another');
      // The turn's attempt settles and keeps the transcript again, its mark gone with the eviction.
      cache.remember('evicted', [user('a')]);
      expect(cache.beginAttempt('evicted', 6)).toBe(false);
      expect(cache.beginAttempt('evicted', 12)).toBe(false);
    });
  });
});
