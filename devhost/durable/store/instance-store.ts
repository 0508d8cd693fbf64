/**
 * Where the engine keeps instances, histories and pending messages. Two implementations: memory
 * (fast tests) and Azure Table + Blob storage (Azurite), which survives a crash of the host.
 *
 * Everything of one instance lives together (one Table partition), so each state change is one
 * atomic write: an episode commit appends the episode's history events, replaces the instance
 * record (guarded by its etag) and deletes the inbox messages it consumed. Message ids are
 * deterministic (e.g. `task~<executionId>~<eventId>`), so a completion delivered twice after a
 * crash is stored once.
 */
import type { HistoryEvent } from '../history/history-event';
import type { RuntimeStatus } from '../runtime-status';

/** The stored state of one instance (its current execution). */
export interface InstanceRecord {
  instanceId: string;
  /** The orchestrator function name. */
  name: string;
  version: string | null;
  /** The current execution (a continue-as-new starts a new one). */
  executionId: string;
  /** How many executions the instance has had before the current one. */
  generation: number;
  runtimeStatus: RuntimeStatus;
  /** JSON text of the current execution's input, or null. */
  input: string | null;
  /** The output: JSON text, or the raw reason/message of a terminated or failed instance. */
  output: string | null;
  /** JSON text of the custom status, or null. */
  customStatus: string | null;
  /** ISO time the current execution was created. */
  createdTime: string;
  lastUpdatedTime: string;
  /** The latest history timestamp written (DTFx tick-precise form), so the next one can be later. */
  lastEventTime: string;
  /** How many episodes (history chunks) the current execution has. */
  episodes: number;
}

/** A stored record with the etag that guards its next replacement. */
export interface StoredInstance {
  record: InstanceRecord;
  etag: string;
}

/** A message waiting for an instance's next episode. */
export interface InboxMessage {
  /** Deterministic id: the same completion stored twice is one message. */
  id: string;
  /** Arrival order (sortable string). */
  seq: string;
  /** The history event the episode will append. */
  event: HistoryEvent;
  /** For completions and timers: the execution they belong to (dropped if it is not current). */
  executionId?: string;
}

/** One episode's changes, written atomically. */
export interface EpisodeCommit {
  instanceId: string;
  /** The etag read before the episode; the commit fails if the record changed meanwhile. */
  etag: string;
  record: InstanceRecord;
  /** Events appended to the execution's history as chunk number `chunk`. */
  append?: { executionId: string; chunk: number; events: HistoryEvent[] };
  /** Inbox messages the episode consumed (or dropped). */
  consumed: string[];
  /** Messages to add (e.g. the next execution's start after continue-as-new). */
  enqueue?: InboxMessage[];
}

/** Persistence of the durable engine. */
export interface InstanceStore {
  /** `memory` or `table`: shown in logs. */
  readonly kind: 'memory' | 'table';
  /**
   * Creates an instance with its start message. With `replaceEtag`, replaces the existing
   * (finished) instance guarded by that etag. Returns the record's etag, or undefined when the
   * instance exists (or changed).
   */
  createInstance(
    record: InstanceRecord,
    start: InboxMessage,
    replaceEtag?: string,
  ): Promise<string | undefined>;
  getInstance(instanceId: string): Promise<StoredInstance | undefined>;
  listInstances(): Promise<InstanceRecord[]>;
  /** The events of an execution, chunk after chunk, from chunk `fromChunk` on. */
  readHistory(instanceId: string, executionId: string, fromChunk?: number): Promise<HistoryEvent[]>;
  /** Pending messages of an instance, in arrival order. */
  readInbox(instanceId: string): Promise<InboxMessage[]>;
  /**
   * Adds a message; false when a message with that id is already there or there is no such
   * instance. With `instanceExists`, the caller vouches that the instance exists (it holds its
   * record), and the store may skip checking.
   */
  addMessage(
    instanceId: string,
    message: InboxMessage,
    options?: { instanceExists?: boolean },
  ): Promise<boolean>;
  /**
   * Writes an episode atomically and returns the record's new etag; throws DevhostError
   * `store_conflict` if the etag is stale.
   */
  commitEpisode(commit: EpisodeCommit): Promise<string>;
  /** Deletes the history of an execution that is no longer current (best effort cleanup). */
  deleteHistory(instanceId: string, executionId: string): Promise<void>;
  /** Deletes everything of an instance; false if there was nothing. */
  purgeInstance(instanceId: string): Promise<boolean>;
  close(): Promise<void>;
}
