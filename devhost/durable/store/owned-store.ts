/**
 * The engine's view of its store. The local host's engine owns its task hub (one process; a second
 * host on the same storage is not coordinated, see the README), so what it wrote it knows and need
 * not read back: this view keeps each instance's record with its etag and, once read, its inbox, and
 * updates them with the engine's own writes. A status read, an episode's record and inbox read and
 * an activity's completion then cost no storage request; only instances not seen since the engine
 * started are read from the store.
 *
 * Safe across crashes and conflicts because nothing is kept that the store has not acknowledged:
 * entries change only after a write succeeded, a failed or uncertain write drops the instance's
 * entry (the next read goes to the store), and commits stay guarded by the record's etag, so a stale
 * entry can only make a commit fail, never overwrite anything. A read that raced with a write is
 * not kept.
 */
import type { HistoryEvent } from '../history/history-event';
import { isTerminal } from '../runtime-status';
import type { InboxMessage, InstanceStore, StoredInstance } from './instance-store';

/** Options of {@link ownedStore}. */
export interface OwnedStoreOptions {
  /** How many instances to keep (the oldest entries go first; default 2000). */
  maxInstances?: number;
}

interface Entry {
  /** Bumped by every write, so a read that raced with one is not kept. */
  version: number;
  stored?: StoredInstance;
  inbox?: Map<string, InboxMessage>;
  /** An execution this engine created (or continued as new) whose history has no rows yet. */
  freshExecution?: string;
}

const NO_HISTORY: readonly HistoryEvent[] = Object.freeze([]);

const copyStored = (stored: StoredInstance): StoredInstance => ({
  record: { ...stored.record },
  etag: stored.etag,
});

const bySeq = (a: InboxMessage, b: InboxMessage): number => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0);

/** Wraps the engine's `store`; every write of the engine must go through the returned view. */
export function ownedStore(store: InstanceStore, options: OwnedStoreOptions = {}): InstanceStore {
  const maxInstances = options.maxInstances ?? 2000;
  const entries = new Map<string, Entry>();

  const entryOf = (instanceId: string): Entry => {
    let entry = entries.get(instanceId);
    if (!entry) {
      entry = { version: 0 };
      entries.set(instanceId, entry);
      if (entries.size > maxInstances) entries.delete(entries.keys().next().value!);
    }
    return entry;
  };
  /** Marks a write as started; the returned check says whether the entry is still the one written. */
  const writing = (instanceId: string): { entry: Entry; current(): boolean } => {
    const entry = entryOf(instanceId);
    entry.version += 1;
    const version = entry.version;
    return { entry, current: () => entries.get(instanceId) === entry && entry.version === version };
  };
  const reading = (instanceId: string): { entry: Entry; unchanged(): boolean } => {
    const entry = entryOf(instanceId);
    const version = entry.version;
    return { entry, unchanged: () => entries.get(instanceId) === entry && entry.version === version };
  };
  const drop = (instanceId: string): void => {
    entries.delete(instanceId);
  };

  return {
    kind: store.kind,

    async createInstance(record, start, replaceEtag) {
      const write = writing(record.instanceId);
      let etag: string | undefined;
      try {
        etag = await store.createInstance(record, start, replaceEtag);
      } catch (error) {
        drop(record.instanceId);
        throw error;
      }
      if (etag === undefined || etag === '') {
        drop(record.instanceId);
        return etag;
      }
      if (write.current()) {
        write.entry.stored = { record: { ...record }, etag };
        // A replaced instance may keep messages of its earlier execution: read them when needed.
        if (replaceEtag === undefined) write.entry.inbox = new Map([[start.id, start]]);
        else delete write.entry.inbox;
        write.entry.freshExecution = record.executionId;
      } else drop(record.instanceId);
      return etag;
    },

    async getInstance(instanceId) {
      const known = entries.get(instanceId)?.stored;
      if (known) return copyStored(known);
      const read = reading(instanceId);
      const stored = await store.getInstance(instanceId);
      if (stored && read.unchanged()) read.entry.stored = copyStored(stored);
      else if (!stored && read.unchanged()) drop(instanceId);
      return stored;
    },

    listInstances: () => store.listInstances(),

    async readHistory(instanceId, executionId, fromChunk) {
      if (entries.get(instanceId)?.freshExecution === executionId) return [...NO_HISTORY];
      return store.readHistory(instanceId, executionId, fromChunk);
    },

    async readInbox(instanceId) {
      const known = entries.get(instanceId)?.inbox;
      if (known) return [...known.values()].sort(bySeq);
      const read = reading(instanceId);
      const messages = await store.readInbox(instanceId);
      if (read.unchanged()) read.entry.inbox = new Map(messages.map((m) => [m.id, m]));
      return messages;
    },

    async addMessage(instanceId, message, addOptions) {
      const instanceExists =
        addOptions?.instanceExists === true || entries.get(instanceId)?.stored !== undefined;
      const write = writing(instanceId);
      let added: boolean;
      try {
        added = await store.addMessage(instanceId, message, instanceExists ? { instanceExists } : undefined);
      } catch (error) {
        drop(instanceId);
        throw error;
      }
      if (!write.current()) drop(instanceId);
      else if (added) write.entry.inbox?.set(message.id, message);
      else if (!instanceExists) drop(instanceId);
      return added;
    },

    async commitEpisode(commit) {
      const write = writing(commit.instanceId);
      const before = write.entry.stored?.record.executionId;
      let etag: string;
      try {
        etag = await store.commitEpisode(commit);
      } catch (error) {
        drop(commit.instanceId);
        throw error;
      }
      if (!write.current() || etag === '') {
        drop(commit.instanceId);
        return etag;
      }
      const { entry } = write;
      entry.stored = { record: { ...commit.record }, etag };
      if (commit.append && entry.freshExecution === commit.append.executionId) delete entry.freshExecution;
      if (before !== undefined && before !== commit.record.executionId) {
        entry.freshExecution = commit.record.executionId;
      }
      if (entry.inbox) {
        for (const id of commit.consumed) entry.inbox.delete(id);
        for (const message of commit.enqueue ?? []) entry.inbox.set(message.id, message);
      }
      if (isTerminal(commit.record.runtimeStatus)) {
        // Finished instances are read for their status, rarely run again: keep only the record.
        delete entry.inbox;
        delete entry.freshExecution;
      }
      return etag;
    },

    async deleteHistory(instanceId, executionId) {
      await store.deleteHistory(instanceId, executionId);
    },

    async purgeInstance(instanceId) {
      drop(instanceId);
      try {
        return await store.purgeInstance(instanceId);
      } finally {
        drop(instanceId);
      }
    },

    close: () => store.close(),
  };
}
