/**
 * The in-memory {@link InstanceStore}: fast, for tests and `--storage memory`. Values are copied
 * in and out so callers never share objects with the store: records (flat) by spreading, history
 * chunks and messages as JSON text, which is cheaper to write than a structured clone and is only
 * parsed when read back (rarely: the engine keeps what it wrote, see `owned-store.ts`).
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
  /** executionId -> chunks, each the JSON text of its events */
  history: Map<string, string[]>;
  /** message id -> the message and its JSON text */
  inbox: Map<string, { seq: string; json: string }>;
}

const stored = (message: InboxMessage): { seq: string; json: string } => ({
  seq: message.seq,
  json: JSON.stringify(message),
});

/**
 * Creates an empty in-memory store.
 *
 * @example
 * const engine = createDurableEngine({ invoker: worker, store: createMemoryStore(), baseUrl });
 */
export function createMemoryStore(): InstanceStore {
  const partitions = new Map<string, MemoryPartition>();
  let nextEtag = 1;
  const copy = (record: InstanceRecord): InstanceRecord => ({ ...record });

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
        return Promise.resolve(undefined);
      }
      const etag = nextEtag++;
      partitions.set(record.instanceId, {
        record: copy(record),
        etag,
        history: new Map(),
        inbox: new Map([[start.id, stored(start)]]),
      });
      return Promise.resolve(String(etag));
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
      const events: HistoryEvent[] = [];
      for (const chunk of chunks.slice(fromChunk)) {
        if (chunk !== undefined) events.push(...(JSON.parse(chunk) as HistoryEvent[]));
      }
      return Promise.resolve(events);
    },

    readInbox(instanceId) {
      const inbox = partitions.get(instanceId)?.inbox;
      const messages = inbox
        ? [...inbox.values()]
            .sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0))
            .map((m) => JSON.parse(m.json) as InboxMessage)
        : [];
      return Promise.resolve(messages);
    },

    addMessage(instanceId, message) {
      const partition = partitions.get(instanceId);
      if (!partition || partition.inbox.has(message.id)) return Promise.resolve(false);
      partition.inbox.set(message.id, stored(message));
      return Promise.resolve(true);
    },

    commitEpisode(commit: EpisodeCommit) {
      const partition = partitions.get(commit.instanceId);
      if (!partition || String(partition.etag) !== commit.etag)
        return Promise.reject(conflict(commit.instanceId));
      if (commit.append) {
        const chunks = partition.history.get(commit.append.executionId) ?? [];
        chunks[commit.append.chunk] = JSON.stringify(commit.append.events);
        partition.history.set(commit.append.executionId, chunks);
      }
      for (const id of commit.consumed) partition.inbox.delete(id);
      for (const message of commit.enqueue ?? []) partition.inbox.set(message.id, stored(message));
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
