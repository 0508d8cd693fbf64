/**
 * The in-memory {@link InstanceStore}: fast, for tests and `--storage memory`. Values are copied
 * in and out so callers never share objects with the store.
 */
import { DevhostError } from '../../errors';
import type { HistoryEvent } from '../history/history-event';
import type {
  EpisodeCommit,
  InboxMessage,
  InstanceRecord,
  InstanceStore,
  StoredInstance,
} from './instance-store';

interface MemoryPartition {
  record: InstanceRecord;
  etag: number;
  /** executionId -> chunks */
  history: Map<string, HistoryEvent[][]>;
  inbox: Map<string, InboxMessage>;
}

/**
 * Creates an empty in-memory store.
 *
 * @example
 * const engine = createDurableEngine({ invoker: worker, store: createMemoryStore(), baseUrl });
 */
export function createMemoryStore(): InstanceStore {
  const partitions = new Map<string, MemoryPartition>();
  let nextEtag = 1;
  const copy = <T>(value: T): T => structuredClone(value);

  const conflict = (instanceId: string): DevhostError =>
    new DevhostError(
      'store_conflict',
      `Instance "${instanceId}" changed while an episode ran; it will be retried.`,
    );

  return {
    kind: 'memory',

    createInstance(record, start, replaceEtag) {
      const existing = partitions.get(record.instanceId);
      if (existing && (replaceEtag === undefined || String(existing.etag) !== replaceEtag)) {
        return Promise.resolve(false);
      }
      partitions.set(record.instanceId, {
        record: copy(record),
        etag: nextEtag++,
        history: new Map(),
        inbox: new Map([[start.id, copy(start)]]),
      });
      return Promise.resolve(true);
    },

    getInstance(instanceId) {
      const partition = partitions.get(instanceId);
      const stored: StoredInstance | undefined = partition
        ? { record: copy(partition.record), etag: String(partition.etag) }
        : undefined;
      return Promise.resolve(stored);
    },

    listInstances() {
      return Promise.resolve([...partitions.values()].map((p) => copy(p.record)));
    },

    readHistory(instanceId, executionId, fromChunk = 0) {
      const chunks = partitions.get(instanceId)?.history.get(executionId) ?? [];
      return Promise.resolve(copy(chunks.slice(fromChunk).flat()));
    },

    readInbox(instanceId) {
      const inbox = partitions.get(instanceId)?.inbox;
      const messages = inbox
        ? [...inbox.values()].sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0))
        : [];
      return Promise.resolve(copy(messages));
    },

    addMessage(instanceId, message) {
      const partition = partitions.get(instanceId);
      if (!partition || partition.inbox.has(message.id)) return Promise.resolve(false);
      partition.inbox.set(message.id, copy(message));
      return Promise.resolve(true);
    },

    commitEpisode(commit: EpisodeCommit) {
      const partition = partitions.get(commit.instanceId);
      if (!partition || String(partition.etag) !== commit.etag)
        return Promise.reject(conflict(commit.instanceId));
      if (commit.append) {
        const chunks = partition.history.get(commit.append.executionId) ?? [];
        chunks[commit.append.chunk] = copy(commit.append.events);
        partition.history.set(commit.append.executionId, chunks);
      }
      for (const id of commit.consumed) partition.inbox.delete(id);
      for (const message of commit.enqueue ?? []) partition.inbox.set(message.id, copy(message));
      partition.record = copy(commit.record);
      partition.etag = nextEtag++;
      return Promise.resolve(String(partition.etag));
    },

    deleteHistory(instanceId, executionId) {
      partitions.get(instanceId)?.history.delete(executionId);
      return Promise.resolve();
    },

    purgeInstance(instanceId) {
      return Promise.resolve(partitions.delete(instanceId));
    },

    close() {
      return Promise.resolve();
    },
  };
}
