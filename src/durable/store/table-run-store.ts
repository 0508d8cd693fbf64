import { TableClient, type TableEntityResult, type TransactionAction } from '@azure/data-tables';
import { DefaultAzureCredential } from '@azure/identity';
import { WorkflowEventSchema, type WorkflowEvent } from '../../core/events';
import { TranscriptMessageSchema, type TranscriptMessage } from '../../core/messages';
import { decodePayload, encodePayload } from './entity-payload';
import { assertValidPartitionKey, positionKey } from './row-keys';
import { StoredReplySchema, type RunStore, type StoredReply } from './run-store';
import type { StorageSettings } from './storage-settings';

type Entity = TableEntityResult<Record<string, unknown>>;

const BATCH = 100; // a table transaction holds at most 100 operations of one partition

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { statusCode?: number }).statusCode === 404;
}

function isConflict(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { statusCode?: number }).statusCode === 409;
}

function createClient(settings: StorageSettings, table: string): TableClient {
  if (settings.kind === 'connection-string') {
    const insecure = /UseDevelopmentStorage=true|https?:\/\/(127\.0\.0\.1|localhost)/i.test(
      settings.connectionString,
    );
    return TableClient.fromConnectionString(settings.connectionString, table, {
      allowInsecureConnection: insecure,
    });
  }
  const credential = new DefaultAzureCredential(
    settings.managedIdentityClientId ? { managedIdentityClientId: settings.managedIdentityClientId } : {},
  );
  return new TableClient(settings.tableServiceUri, table, credential);
}

/** The run store on Azure Table storage (or Azurite). Tables are created on first use. */
export class TableRunStore implements RunStore {
  readonly #events: TableClient;
  readonly #messages: TableClient;
  readonly #replies: TableClient;
  #ready: Promise<void> | undefined;

  constructor(settings: StorageSettings) {
    this.#events = createClient(settings, `${settings.tablePrefix}Events`);
    this.#messages = createClient(settings, `${settings.tablePrefix}Messages`);
    this.#replies = createClient(settings, `${settings.tablePrefix}Replies`);
  }

  async #ensureTables(): Promise<void> {
    this.#ready ??= Promise.all(
      [this.#events, this.#messages, this.#replies].map(async (client) => {
        try {
          await client.createTable();
        } catch (error) {
          if (!isConflict(error)) throw error;
        }
      }),
    ).then(
      () => undefined,
      (error: unknown) => {
        this.#ready = undefined; // let the next call try again
        throw error;
      },
    );
    return this.#ready;
  }

  async #upsertAll(
    client: TableClient,
    entities: Array<{ partitionKey: string; rowKey: string } & Record<string, unknown>>,
  ): Promise<void> {
    if (entities.length === 0) return;
    await this.#ensureTables();
    for (let i = 0; i < entities.length; i += BATCH) {
      const actions: TransactionAction[] = entities
        .slice(i, i + BATCH)
        .map((entity) => ['upsert', entity, 'Replace']);
      await client.submitTransaction(actions);
    }
  }

  async saveEvents(runId: string, events: readonly WorkflowEvent[]): Promise<void> {
    const partitionKey = assertValidPartitionKey(runId);
    await this.#upsertAll(
      this.#events,
      events.map((event) => ({
        partitionKey,
        rowKey: positionKey(event.seq),
        type: event.type,
        ...encodePayload(`Event ${event.seq} (${event.type})`, event),
      })),
    );
  }

  async readEvents(runId: string, afterSeq: number, limit = 1000): Promise<WorkflowEvent[]> {
    await this.#ensureTables();
    const partitionKey = assertValidPartitionKey(runId).replace(/'/g, "''");
    const events: WorkflowEvent[] = [];
    const pages = this.#events
      .listEntities<Record<string, unknown>>({
        queryOptions: {
          filter: `PartitionKey eq '${partitionKey}' and RowKey gt '${positionKey(Math.max(0, afterSeq))}'`,
        },
      })
      .byPage({ maxPageSize: Math.min(limit, 1000) });
    for await (const page of pages) {
      for (const entity of page as Entity[]) {
        events.push(WorkflowEventSchema.parse(decodePayload(entity)));
        if (events.length >= limit) return events;
      }
    }
    return events;
  }

  async saveMessages(
    runId: string,
    startIndex: number,
    messages: readonly TranscriptMessage[],
  ): Promise<void> {
    const partitionKey = assertValidPartitionKey(runId);
    await this.#upsertAll(
      this.#messages,
      messages.map((message, offset) => ({
        partitionKey,
        rowKey: positionKey(startIndex + offset),
        ...encodePayload(`Message ${startIndex + offset}`, message),
      })),
    );
  }

  async readMessages(runId: string, count: number): Promise<TranscriptMessage[]> {
    if (count === 0) return [];
    await this.#ensureTables();
    const partitionKey = assertValidPartitionKey(runId).replace(/'/g, "''");
    const messages: TranscriptMessage[] = [];
    const entities = this.#messages.listEntities<Record<string, unknown>>({
      queryOptions: { filter: `PartitionKey eq '${partitionKey}' and RowKey lt '${positionKey(count)}'` },
    });
    for await (const entity of entities) {
      const index = Number(entity.rowKey);
      if (index !== messages.length) break;
      messages.push(TranscriptMessageSchema.parse(decodePayload(entity)));
    }
    if (messages.length !== count) {
      throw new Error(
        `Run '${runId}' has ${messages.length} stored messages in sequence but ${count} were expected; the run store is missing message ${messages.length}.`,
      );
    }
    return messages;
  }

  async saveReply(runId: string, reply: StoredReply): Promise<void> {
    await this.#upsertAll(this.#replies, [
      {
        partitionKey: assertValidPartitionKey(runId),
        rowKey: assertValidPartitionKey(reply.replyId),
        handled: false,
        ...encodePayload('Reply', reply),
      },
    ]);
  }

  async unhandledReplies(runId: string): Promise<StoredReply[]> {
    await this.#ensureTables();
    const partitionKey = assertValidPartitionKey(runId).replace(/'/g, "''");
    const replies: StoredReply[] = [];
    const entities = this.#replies.listEntities<Record<string, unknown>>({
      queryOptions: { filter: `PartitionKey eq '${partitionKey}' and handled eq false` },
    });
    for await (const entity of entities) replies.push(StoredReplySchema.parse(decodePayload(entity)));
    return replies.sort(
      (a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.replyId.localeCompare(b.replyId),
    );
  }

  async markRepliesHandled(runId: string, replyIds: readonly string[]): Promise<void> {
    if (replyIds.length === 0) return;
    await this.#ensureTables();
    const partitionKey = assertValidPartitionKey(runId);
    for (const replyId of replyIds) {
      try {
        await this.#replies.updateEntity(
          { partitionKey, rowKey: assertValidPartitionKey(replyId), handled: true },
          'Merge',
        );
      } catch (error) {
        // A reply raised straight through the Durable client, bypassing the store, has no row: nothing to mark.
        if (!isNotFound(error)) throw error;
      }
    }
  }

  async deleteRun(runId: string): Promise<void> {
    await this.#ensureTables();
    const partitionKey = assertValidPartitionKey(runId).replace(/'/g, "''");
    for (const client of [this.#events, this.#messages, this.#replies]) {
      const keys: string[] = [];
      for await (const entity of client.listEntities({
        queryOptions: { filter: `PartitionKey eq '${partitionKey}'`, select: ['RowKey'] },
      })) {
        if (entity.rowKey !== undefined) keys.push(entity.rowKey);
      }
      for (let i = 0; i < keys.length; i += BATCH) {
        await client.submitTransaction(
          keys.slice(i, i + BATCH).map((rowKey) => ['delete', { partitionKey: runId, rowKey }]),
        );
      }
    }
  }
}
