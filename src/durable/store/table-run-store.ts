import type { TableClient, odata as odataTag } from '@azure/data-tables';
import type { WorkflowEvent } from '../../core/events';
import { TranscriptMessageSchema, type TranscriptMessage } from '../../core/messages';
import { decodePayload, encodePayload, encodeStoredJson } from './entity-payload';
import { EventRowReader, packEventRows } from './event-rows';
import { assertValidPartitionKey, messageKey, positionKey } from './row-keys';
import {
  StoredReplySchema,
  type EventFeed,
  type RunStore,
  type StoredReply,
  type TurnSlot,
  type TurnStepRecord,
  type OpenedTurn,
  type TurnMessagesWrite,
  type TurnStepWrite,
  type CommitAlso,
} from './run-store';
import type { StoredPreview, TurnPreview } from '../preview/turn-preview';
import {
  deletePreviewRow,
  isSettledPreviewRow,
  PREVIEW_ROW_KEY,
  previewOf,
  previewRow,
  readPreviewRow,
  settledPreviewRow,
  writePreviewRow,
} from './table-preview-row';
import { createStorageCredential } from './storage-credential';
import { TableBatch, type BatchEntity, type BatchOperation } from '../../../azure-tables/table-batch';
import { TableQuery } from '../../../azure-tables/table-query';
import type { StorageSettings } from './storage-settings';

const BATCH = 100; // a table transaction holds at most 100 operations of one partition

/**
 * The events of a row of the events table: the events written together. Earlier builds of this
 * package wrote one event per row; such rows (in a local Azurite's data, say) still read. Only this
 * app writes the table, always from typed events, so rows are not checked against the schema: event
 * streams and status reads read every row of a run, often.
 */
function storedEvents(payload: unknown): WorkflowEvent[] {
  return Array.isArray(payload) ? (payload as WorkflowEvent[]) : [payload as WorkflowEvent];
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { statusCode?: number }).statusCode === 404;
}

function isConflict(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { statusCode?: number }).statusCode === 409;
}

// The storage SDKs load on first use, not at start-up: they are large, and a Functions app's cold
// start is the time it takes to load its modules.
export async function createClients(
  settings: StorageSettings,
  names: readonly string[],
): Promise<{ clients: TableClient[]; odata: typeof odataTag; allowInsecureConnection: boolean }> {
  const { TableClient, odata } = await import('@azure/data-tables');
  if (settings.kind === 'connection-string') {
    const insecure = /UseDevelopmentStorage=true|https?:\/\/(127\.0\.0\.1|localhost)/i.test(
      settings.connectionString,
    );
    const clients = names.map((name) =>
      TableClient.fromConnectionString(settings.connectionString, name, {
        allowInsecureConnection: insecure,
      }),
    );
    return { clients, odata, allowInsecureConnection: insecure };
  }
  const credential = await createStorageCredential(settings.credential);
  return {
    clients: names.map((name) => new TableClient(settings.tableServiceUri, name, credential)),
    odata,
    allowInsecureConnection: false,
  };
}

type TableName = 'events' | 'messages' | 'replies';

/**
 * Turn slots live in the events table, so a turn's record and its events are written in one
 * entity-group transaction. Their keys sort before every event row ('!' < '0'), so the event
 * queries (`RowKey gt '<10 digits>'`) never return them.
 */
function slotKey(firstSeq: number): string {
  return `!turn-${positionKey(firstSeq)}`;
}

/**
 * A turn's step records sort right after its slot (`!turn-<seq>-<step>`), so the slot and the steps
 * are one range query: from the slot's key to the key with '.' (which sorts after '-') appended.
 */
function stepKey(firstSeq: number, step: string): string {
  if (!/^[A-Za-z0-9-]{1,64}$/.test(step)) throw new RangeError(`'${step}' cannot name a turn step.`);
  return `${slotKey(firstSeq)}-${step}`;
}

function stepOf(entity: Record<string, unknown>): TurnStepRecord {
  return { record: decodePayload(entity), recordedAt: String(entity.recordedAt) };
}

function slotOf(entity: Record<string, unknown>): TurnSlot {
  return entity.state === 'closed'
    ? { kind: 'closed' }
    : { kind: 'committed', record: decodePayload(entity) };
}

/*
 * Transcript messages live in the events table too ({@link messageKey}), so a turn's messages,
 * events and record are one entity-group transaction. Earlier builds kept them in a table of their
 * own (`<prefix>Messages`), which is still read for the messages of runs they wrote.
 */

type Row = BatchEntity;

function messageEntities(
  partitionKey: string,
  startIndex: number,
  messages: readonly TranscriptMessage[],
  keyOf: (index: number) => string = messageKey,
): Row[] {
  return messages.map((message, offset) => ({
    partitionKey,
    rowKey: keyOf(startIndex + offset),
    ...encodePayload(`Message ${startIndex + offset}`, message),
  }));
}

const upsert = (entity: Row): BatchOperation => ({ op: 'upsert', entity });
const create = (entity: Row): BatchOperation => ({ op: 'create', entity });

/** The entities of `events` (see {@link packEventRows}). */
function eventEntities(partitionKey: string, events: readonly WorkflowEvent[]) {
  return packEventRows(events).map((row) => ({
    partitionKey,
    rowKey: positionKey(row.lastSeq),
    firstSeq: row.firstSeq,
    ...encodeStoredJson(`Events ${row.firstSeq}-${row.lastSeq}`, row.json),
  }));
}

type Tables = Record<TableName, TableClient> & {
  odata: typeof odataTag;
  /** Entity-group transactions, by table. */
  batches: Record<TableName, TableBatch>;
  /** Entity queries, by table. */
  queries: Record<TableName, TableQuery>;
};

/** The run store on Azure Table storage (or Azurite). Tables are created on first use. */
export class TableRunStore implements RunStore {
  readonly #settings: StorageSettings;
  #tables: Promise<Tables> | undefined;

  constructor(settings: StorageSettings) {
    this.#settings = settings;
  }

  /** The table clients, once the tables exist (created on first use). */
  async #table(name: TableName): Promise<TableClient> {
    return (await this.#load())[name];
  }

  /** The tagged template that writes OData filters with their values escaped (`odata` of the SDK). */
  async #odata(): Promise<typeof odataTag> {
    return (await this.#load()).odata;
  }

  /** The entity-group transactions of table `name` (see {@link TableBatch}). */
  async #batch(name: TableName): Promise<TableBatch> {
    return (await this.#load()).batches[name];
  }

  /** The entity queries of table `name` (see {@link TableQuery}). */
  async #query(name: TableName): Promise<TableQuery> {
    return (await this.#load()).queries[name];
  }

  #load(): Promise<Tables> {
    this.#tables ??= (async () => {
      const prefix = this.#settings.tablePrefix;
      const { clients, odata, allowInsecureConnection } = await createClients(this.#settings, [
        `${prefix}Events`,
        `${prefix}Messages`,
        `${prefix}Replies`,
      ]);
      const [events, messages, replies] = clients as [TableClient, TableClient, TableClient];
      await Promise.all(
        [events, messages, replies].map(async (client) => {
          try {
            await client.createTable();
          } catch (error) {
            if (!isConflict(error)) throw error;
          }
        }),
      );
      const batch = (client: TableClient) => new TableBatch(client, { allowInsecureConnection });
      const query = (client: TableClient) => new TableQuery(client, { allowInsecureConnection });
      return {
        events,
        messages,
        replies,
        odata,
        batches: { events: batch(events), messages: batch(messages), replies: batch(replies) },
        queries: { events: query(events), messages: query(messages), replies: query(replies) },
      };
    })().catch((error: unknown) => {
      this.#tables = undefined; // let the next call try again
      throw error;
    });
    return this.#tables;
  }

  async #upsertAll(name: TableName, entities: Row[]): Promise<void> {
    if (entities.length === 0) return;
    const client = await this.#table(name);
    if (entities.length === 1) {
      // One entity needs no entity-group transaction: a plain upsert is a lighter request to build,
      // send and parse.
      await client.upsertEntity(entities[0]!, 'Replace');
      return;
    }
    const batch = await this.#batch(name);
    for (let i = 0; i < entities.length; i += BATCH) {
      await batch.submit(entities.slice(i, i + BATCH).map(upsert));
    }
  }

  async saveEvents(
    runId: string,
    events: readonly WorkflowEvent[],
    messages?: TurnMessagesWrite,
  ): Promise<void> {
    const partitionKey = assertValidPartitionKey(runId);
    // One row per batch of events, not one per event: an activity hands over 5-7 events a turn, and
    // one entity is a far lighter request than an entity-group transaction of 7.
    await this.#upsertAll('events', [
      ...(messages ? messageEntities(partitionKey, messages.at, messages.messages) : []),
      ...eventEntities(partitionKey, events),
    ]);
  }

  async readEvents(runId: string, afterSeq: number, limit = 1000): Promise<WorkflowEvent[]> {
    return (await this.#readFeed(runId, afterSeq, limit, false)).events;
  }

  async readEventFeed(runId: string, afterSeq: number, limit = 1000): Promise<EventFeed> {
    return this.#readFeed(runId, afterSeq, limit, true);
  }

  async #readFeed(runId: string, afterSeq: number, limit: number, withPreview: boolean): Promise<EventFeed> {
    const query = await this.#query('events');
    const odata = await this.#odata();
    const partitionKey = assertValidPartitionKey(runId);
    const reader = new EventRowReader(afterSeq);
    const after = positionKey(Math.max(0, afterSeq));
    // Rows are keyed by their last seq, so every row holding an event after `afterSeq` has a larger
    // key. The orchestrator hands events over in order, and hands an event over again only together
    // with every event after it (a turn that never completed may not have stored its input), so
    // every stored event up to a row's key is in that row or an earlier one: once `limit` events are
    // collected, no later row holds a smaller seq not yet seen. The preview row sorts last.
    const filter = withPreview
      ? odata`PartitionKey eq ${partitionKey} and RowKey gt ${after}`
      : odata`PartitionKey eq ${partitionKey} and RowKey gt ${after} and RowKey lt ${PREVIEW_ROW_KEY}`;
    let preview: TurnPreview | undefined;
    for await (const page of query.pages(filter, 100)) {
      for (const entity of page) {
        if (entity.RowKey === PREVIEW_ROW_KEY) {
          if (!isSettledPreviewRow(entity)) preview = previewOf(entity);
          continue;
        }
        reader.add(storedEvents(decodePayload(entity)));
        if (reader.size >= limit) return { events: reader.take(limit) };
      }
    }
    return { events: reader.take(limit), ...(preview ? { preview } : {}) };
  }

  async saveMessages(
    runId: string,
    startIndex: number,
    messages: readonly TranscriptMessage[],
  ): Promise<void> {
    await this.#upsertAll('events', messageEntities(assertValidPartitionKey(runId), startIndex, messages));
  }

  async readMessages(runId: string, count: number, from = 0): Promise<TranscriptMessage[]> {
    if (count <= from) return [];
    const partitionKey = assertValidPartitionKey(runId);
    const found = await this.#readMessageRows('events', partitionKey, from, count, messageKey);
    if (found.size < count - from) {
      // A run an earlier build started keeps its first messages in the messages table.
      const legacy = await this.#readMessageRows('messages', partitionKey, from, count, positionKey);
      for (const [index, message] of legacy) if (!found.has(index)) found.set(index, message);
    }
    const messages: TranscriptMessage[] = [];
    for (let index = from; index < count; index += 1) {
      const message = found.get(index);
      if (message === undefined) {
        throw new Error(
          `Run '${runId}' has ${index} stored messages in sequence but ${count} were expected; the run store is missing message ${index}.`,
        );
      }
      messages.push(message);
    }
    return messages;
  }

  /** The messages at positions `from` to `count - 1` stored in `name` under `keyOf(position)`, by position. */
  async #readMessageRows(
    name: 'events' | 'messages',
    partitionKey: string,
    from: number,
    count: number,
    keyOf: (index: number) => string,
  ): Promise<Map<number, TranscriptMessage>> {
    const query = await this.#query(name);
    const odata = await this.#odata();
    const prefix = keyOf(0).length - positionKey(0).length;
    const found = new Map<number, TranscriptMessage>();
    const filter = odata`PartitionKey eq ${partitionKey} and RowKey ge ${keyOf(from)} and RowKey lt ${keyOf(count)}`;
    for await (const page of query.pages(filter)) {
      for (const entity of page) {
        const index = Number(entity.RowKey.slice(prefix));
        found.set(index, TranscriptMessageSchema.parse(decodePayload(entity)));
      }
    }
    return found;
  }

  async saveReply(runId: string, reply: StoredReply): Promise<void> {
    await this.#upsertAll('replies', [
      {
        partitionKey: assertValidPartitionKey(runId),
        rowKey: assertValidPartitionKey(reply.replyId),
        handled: reply.supersededBy !== undefined || reply.refused !== undefined,
        ...encodePayload('Reply', reply),
      },
    ]);
  }

  async claimRequest(runId: string, requestId: string, replyId: string): Promise<string> {
    const table = await this.#table('replies');
    const partitionKey = assertValidPartitionKey(runId);
    // Claim rows have no `handled`, so the unhandled-replies query (handled eq false) never lists them.
    const rowKey = `!claim-${assertValidPartitionKey(requestId)}`;
    try {
      await table.createEntity({ partitionKey, rowKey, replyId });
      return replyId;
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
    const claim = await table.getEntity<{ replyId?: unknown }>(partitionKey, rowKey);
    return typeof claim.replyId === 'string' ? claim.replyId : '';
  }

  async unhandledReplies(runId: string): Promise<StoredReply[]> {
    const table = await this.#table('replies');
    const odata = await this.#odata();
    const partitionKey = assertValidPartitionKey(runId);
    const replies: StoredReply[] = [];
    const entities = table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${partitionKey} and handled eq ${false}` },
    });
    for await (const entity of entities) replies.push(StoredReplySchema.parse(decodePayload(entity)));
    return replies.sort(
      (a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.replyId.localeCompare(b.replyId),
    );
  }

  async markRepliesHandled(runId: string, replyIds: readonly string[]): Promise<void> {
    if (replyIds.length === 0) return;
    const table = await this.#table('replies');
    const partitionKey = assertValidPartitionKey(runId);
    for (const replyId of replyIds) {
      try {
        await table.updateEntity(
          { partitionKey, rowKey: assertValidPartitionKey(replyId), handled: true },
          'Merge',
        );
      } catch (error) {
        // A reply raised straight through the Durable client, bypassing the store, has no row: nothing to mark.
        if (!isNotFound(error)) throw error;
      }
    }
  }

  async readTurnSlot(runId: string, firstSeq: number): Promise<TurnSlot | undefined> {
    const table = await this.#table('events');
    try {
      const entity = await table.getEntity<Record<string, unknown>>(
        assertValidPartitionKey(runId),
        slotKey(firstSeq),
      );
      return slotOf(entity);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async openTurn(
    runId: string,
    firstSeq: number,
    events: readonly WorkflowEvent[],
    messages: TurnMessagesWrite,
    preview?: TurnPreview,
  ): Promise<OpenedTurn> {
    const partitionKey = assertValidPartitionKey(runId);
    const eventRows = eventEntities(partitionKey, events);
    const messageRows = messageEntities(partitionKey, messages.at, messages.messages);
    const previewRows = preview ? [previewRow(partitionKey, preview)] : [];
    if (eventRows.length > 0 && eventRows.length + messageRows.length + previewRows.length <= BATCH) {
      const batch = await this.#batch('events');
      try {
        // 'create': every attempt of the turn is handed the same events, and stores them before it
        // records anything. So when none of the rows exist, no attempt of this turn has recorded a
        // step or committed yet, and there is nothing to read. Nor has one claimed a preview: the
        // preview row, replaced here, is then an earlier turn's (or a failed turn's, retried under
        // new seqs), and this attempt's number is the one it was handed.
        const { etags } = await batch.submit([
          ...eventRows.map(create),
          ...messageRows.map(upsert),
          ...previewRows.map(upsert),
        ]);
        const previewVersion = preview ? etags.at(-1) : undefined;
        return { steps: new Map(), first: true, ...(previewVersion ? { previewVersion } : {}) };
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
    // An earlier attempt (of this build or an earlier one, which wrote its input the same way)
    // stored them first: what it left is read. The rows are written again, as they always were.
    const [turn] = await Promise.all([
      this.readTurn(runId, firstSeq),
      this.#upsertAll('events', [...eventRows, ...messageRows]),
    ]);
    return { ...turn, first: false };
  }

  async commitTurn(
    runId: string,
    firstSeq: number,
    events: readonly WorkflowEvent[],
    record: unknown,
    steps: readonly TurnStepWrite[] = [],
    also: CommitAlso = {},
  ): Promise<boolean> {
    const partitionKey = assertValidPartitionKey(runId);
    const batch = await this.#batch('events');
    // A turn's input, when the commit is its first write: created (never replaced), so an earlier
    // attempt that stored it (and may have recorded steps) refuses the commit like a taken slot.
    const input = also.input
      ? [
          ...eventEntities(partitionKey, also.input.events).map(create),
          ...messageEntities(partitionKey, also.input.messages.at, also.input.messages.messages).map(upsert),
        ]
      : [];
    const slot: Row = {
      partitionKey,
      rowKey: slotKey(firstSeq),
      state: 'committed',
      ...encodePayload(`Turn ${firstSeq}`, record),
    };
    const recordedAt = new Date().toISOString();
    const actions: BatchOperation[] = [
      create(slot),
      // 'create' like recordTurnStep: a step another attempt recorded first refuses the commit.
      ...steps.map(({ step, record: stepRecord }) =>
        create({
          partitionKey,
          rowKey: stepKey(firstSeq, step),
          recordedAt,
          ...encodePayload(`Turn step ${step}`, stepRecord),
        }),
      ),
      ...eventEntities(partitionKey, events).map(upsert),
      ...input,
    ];
    if (actions.length > BATCH) {
      throw new RangeError(`Turn ${firstSeq} wrote more events than one transaction holds.`);
    }
    const messageRows = also.messages
      ? messageEntities(partitionKey, also.messages.at, also.messages.messages)
      : [];
    // The messages go in the commit when they fit: written by the attempt that commits, and by no other.
    const closing = also.closing ?? [];
    const closingRows = closing.length > 0 ? eventEntities(partitionKey, closing) : [];
    const withMessages = actions.length + messageRows.length + closingRows.length + 1 <= BATCH;
    if (withMessages) actions.push(...messageRows.map(upsert));
    const lastSeq = closing.at(-1)?.seq;
    if (lastSeq !== undefined) {
      // A run reads as finished once its closing events are stored: never before its messages.
      if (!withMessages) {
        throw new RangeError(`Turn ${firstSeq} and the run's closing events do not fit in one transaction.`);
      }
      // As the finish stores them: a separate row (a finish run after all, by an earlier build,
      // upserts the same), and a settled preview row, which also covers one an earlier attempt left.
      actions.push(...closingRows.map(upsert), upsert(settledPreviewRow(partitionKey, lastSeq)));
    }
    const previewRemoval: BatchOperation[] =
      also.removePreview && lastSeq === undefined
        ? [{ op: 'delete', partitionKey, rowKey: PREVIEW_ROW_KEY }]
        : [];
    try {
      // 'create' fails when the slot exists, and fails the whole transaction with it: a turn's
      // events are stored once, by the first attempt that commits, and never after its slot closed.
      try {
        await batch.submit([...actions, ...previewRemoval]);
      } catch (error) {
        // The preview was removed meanwhile (another attempt's commit would have taken the slot, so
        // only a best-effort cleanup could have): commit without it.
        if (previewRemoval.length === 0 || !isNotFound(error)) throw error;
        await batch.submit(actions);
      }
    } catch (error) {
      if (isConflict(error)) return false;
      throw error;
    }
    if (!withMessages) await this.#upsertAll('events', messageRows);
    return true;
  }

  async closeRun(
    runId: string,
    events: readonly WorkflowEvent[],
    messages: TurnMessagesWrite,
  ): Promise<void> {
    const partitionKey = assertValidPartitionKey(runId);
    const lastSeq = events.at(-1)?.seq;
    if (lastSeq === undefined) throw new RangeError(`Closing run '${runId}' needs its closing events.`);
    const messageRows = messageEntities(partitionKey, messages.at, messages.messages);
    const rows = [...eventEntities(partitionKey, events), settledPreviewRow(partitionKey, lastSeq)];
    if (rows.length + messageRows.length <= BATCH) {
      await (await this.#batch('events')).submit([...messageRows, ...rows].map(upsert));
      return;
    }
    // The messages first: a run reads as finished once its closing events are stored.
    await this.#upsertAll('events', messageRows);
    await this.#upsertAll('events', rows);
  }

  async readTurn(
    runId: string,
    firstSeq: number,
  ): Promise<{ slot?: TurnSlot; steps: Map<string, TurnStepRecord> }> {
    const query = await this.#query('events');
    const odata = await this.#odata();
    const partitionKey = assertValidPartitionKey(runId);
    const key = slotKey(firstSeq);
    const steps = new Map<string, TurnStepRecord>();
    let slot: TurnSlot | undefined;
    const filter = odata`PartitionKey eq ${partitionKey} and RowKey ge ${key} and RowKey lt ${`${key}.`}`;
    for await (const page of query.pages(filter)) {
      for (const entity of page) {
        if (entity.RowKey === key) slot = slotOf(entity);
        else steps.set(entity.RowKey.slice(key.length + 1), stepOf(entity));
      }
    }
    return slot ? { slot, steps } : { steps };
  }

  async recordTurnStep(
    runId: string,
    firstSeq: number,
    step: string,
    record: unknown,
  ): Promise<TurnStepRecord> {
    const partitionKey = assertValidPartitionKey(runId);
    const table = await this.#table('events');
    const rowKey = stepKey(firstSeq, step);
    const recordedAt = new Date().toISOString();
    try {
      await table.createEntity({
        partitionKey,
        rowKey,
        recordedAt,
        ...encodePayload(`Turn step ${step}`, record),
      });
      return { record, recordedAt };
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
    // Another attempt recorded the step first: its record is the step's.
    return stepOf(await table.getEntity<Record<string, unknown>>(partitionKey, rowKey));
  }

  async deleteRun(runId: string): Promise<number> {
    const partitionKey = assertValidPartitionKey(runId);
    const odata = await this.#odata();
    let deleted = 0;
    for (const name of ['events', 'messages', 'replies'] as const) {
      const table = await this.#table(name);
      const keys: string[] = [];
      const rows = table.listEntities<Record<string, unknown>>({
        queryOptions: { filter: odata`PartitionKey eq ${partitionKey}`, select: ['RowKey'] },
      });
      for await (const row of rows) if (row.rowKey) keys.push(row.rowKey);
      for (let i = 0; i < keys.length; i += BATCH) {
        const batch = keys.slice(i, i + BATCH);
        if (batch.length === 1) {
          try {
            await table.deleteEntity(partitionKey, batch[0]!);
          } catch (error) {
            if (!isNotFound(error)) throw error; // deleted meanwhile by another purge: fine
          }
        } else {
          await (
            await this.#batch(name)
          ).submit(batch.map((rowKey): BatchOperation => ({ op: 'delete', partitionKey, rowKey })));
        }
        deleted += batch.length;
      }
    }
    return deleted;
  }

  async staleRunKeys(before: Date): Promise<string[]> {
    const table = await this.#table('events');
    const odata = await this.#odata();
    const keys = new Set<string>();
    const rows = table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`Timestamp lt ${before}`, select: ['PartitionKey'] },
    });
    for await (const row of rows) if (row.partitionKey) keys.add(row.partitionKey);
    return [...keys];
  }

  async closeTurnSlot(runId: string, firstSeq: number): Promise<TurnSlot> {
    const partitionKey = assertValidPartitionKey(runId);
    const table = await this.#table('events');
    try {
      await table.createEntity({ partitionKey, rowKey: slotKey(firstSeq), state: 'closed' });
      return { kind: 'closed' };
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
    const slot = await this.readTurnSlot(runId, firstSeq);
    if (!slot) throw new Error(`Turn slot ${firstSeq} of run '${runId}' exists but could not be read.`);
    return slot;
  }

  async readPreview(runId: string): Promise<StoredPreview | undefined> {
    return readPreviewRow(await this.#table('events'), assertValidPartitionKey(runId));
  }

  async writePreview(
    runId: string,
    preview: TurnPreview,
    replacing: string | undefined,
  ): Promise<string | undefined> {
    return writePreviewRow(await this.#table('events'), assertValidPartitionKey(runId), preview, replacing);
  }

  async deletePreview(runId: string, version?: string): Promise<void> {
    await deletePreviewRow(await this.#table('events'), assertValidPartitionKey(runId), version);
  }
}
