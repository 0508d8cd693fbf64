/**
 * The Azure Table + Blob {@link InstanceStore} (Azurite locally). All rows of an instance share a
 * partition, so every state change is one entity-group transaction: an episode commit replaces
 * the instance row under its etag, adds the history chunk and deletes the consumed inbox rows
 * together, and a crash leaves either all of it or none.
 */
import { odata, TableClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';
// The transaction writer the app's run store uses too (azure-tables/: Node and the SDK only), since
// `submitTransaction` builds a client and pipeline per transaction (2-4 ms of CPU, #16).
import {
  MAX_BATCH_OPERATIONS,
  TableBatch,
  type BatchEntity,
  type BatchOperation,
} from '../../../azure-tables/table-batch';
import { DevhostError } from '../../errors';
import { blobPayloads, type BlobPayloads } from './blob-payloads';
import type { InstanceStore } from './instance-store';
import { sasTableTransport } from './sas-table-transport';
import { sasTableClient } from './table-sas-client';
import {
  eventsOf,
  historyEntity,
  historyRange,
  INBOX_RANGE,
  inboxEntity,
  inboxRow,
  INSTANCE_ROW,
  instanceEntity,
  messageOf,
  recordOf,
  type Row,
} from './table-entities';

/** Options of {@link createTableStore}. */
export interface TableStoreOptions {
  /** An Azure Storage connection string (e.g. Azurite's). */
  connectionString: string;
  /** The task hub: names the table (`<hub>DevhostState`) and the blob container. */
  hubName: string;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

async function rows(table: TableClient, filter: string, select?: string[]): Promise<Row[]> {
  const found: Row[] = [];
  const iterator = table.listEntities<Record<string, string | undefined>>({
    queryOptions: { filter, ...(select ? { select } : {}) },
  });
  for await (const row of iterator) found.push(row as Row);
  return found;
}

async function submitInChunks(
  batch: TableBatch,
  renew: () => unknown,
  operations: BatchOperation[],
): Promise<void> {
  for (let i = 0; i < operations.length; i += MAX_BATCH_OPERATIONS) {
    renew();
    await batch.submit(operations.slice(i, i + MAX_BATCH_OPERATIONS));
  }
}

/** A row to write: its properties without the ones left unset. */
function entityOf(row: Row): BatchEntity {
  const entity: BatchEntity = { partitionKey: row.partitionKey, rowKey: row.rowKey };
  for (const [name, value] of Object.entries(row)) if (value !== undefined) entity[name] = value;
  return entity;
}

function storageError(what: string, error: unknown): DevhostError {
  const message =
    typeof (error as Error | undefined)?.message === 'string' ? (error as Error).message : String(error);
  return new DevhostError('storage_failed', `Table storage: ${what} failed: ${message}`, { cause: error });
}

/**
 * Connects to (and creates if needed) the table and container of a task hub.
 *
 * @example
 * const azurite = await startAzurite({ location: '.devhost', reuse: true });
 * const store = await createTableStore({ connectionString: azurite.connectionString, hubName: 'MyHub' });
 */
export async function createTableStore(options: TableStoreOptions): Promise<InstanceStore> {
  const tableName = `${options.hubName}DevhostState`;
  const keyed = TableClient.fromConnectionString(options.connectionString, tableName, {
    allowInsecureConnection: true,
  });
  const sas = sasTableClient(options.connectionString, keyed.url, tableName, {
    allowInsecureConnection: true,
  });
  const sasClient = sas?.client ?? keyed;
  /** The client of the engine's requests, its SAS renewed when it nears its end. */
  const table = (): TableClient => {
    sas?.renew();
    return sasClient;
  };
  // With a SAS the engine's transactions skip the client's pipeline (sas-table-transport.ts).
  const transport = sas
    ? sasTableTransport(() => {
        sas.renew();
        return sas.credential.signature;
      })
    : undefined;
  const batch = new TableBatch(sasClient, { allowInsecureConnection: true, transport: transport?.send });
  const container = BlobServiceClient.fromConnectionString(options.connectionString).getContainerClient(
    `devhost-${options.hubName.toLowerCase()}`,
  );
  try {
    await keyed.createTable();
    await container.createIfNotExists();
  } catch (error) {
    throw storageError(`creating table and container for task hub "${options.hubName}"`, error);
  }
  const blobs: BlobPayloads = blobPayloads(container);
  const partition = (instanceId: string): string => odata`PartitionKey eq ${instanceId}`;
  const range = (instanceId: string, [from, to]: [string, string]): string =>
    `${partition(instanceId)} and ${odata`RowKey ge ${from} and RowKey lt ${to}`}`;

  const getRow = async (instanceId: string): Promise<Row | undefined> => {
    // Table storage cannot hold such a key, so no instance can have it (the extension answers 404).
    // eslint-disable-next-line no-control-regex
    if (/[/\\#?\u0000-\u001f\u007f-\u009f]/.test(instanceId)) return undefined;
    try {
      return (await table().getEntity<Record<string, string | undefined>>(instanceId, INSTANCE_ROW)) as Row;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw storageError(`reading instance "${instanceId}"`, error);
    }
  };

  const deleteRows = async (instanceId: string, filter: string): Promise<number> => {
    const found = await rows(table(), filter, ['PartitionKey', 'RowKey']);
    await submitInChunks(
      batch,
      table,
      found.map((row): BatchOperation => ({ op: 'delete', partitionKey: instanceId, rowKey: row.rowKey })),
    );
    return found.length;
  };

  return {
    kind: 'table',

    async createInstance(record, start, replaceEtag) {
      const entity = entityOf(await instanceEntity(blobs, record));
      const inbox = entityOf(await inboxEntity(blobs, record.instanceId, start));
      try {
        table();
        const { etags } = await batch.submit([
          replaceEtag === undefined ? { op: 'create', entity } : { op: 'update', entity, etag: replaceEtag },
          { op: 'upsert', entity: inbox },
        ]);
        return etags[0] ?? '';
      } catch (error) {
        const status = statusOf(error);
        if (status === 409 || status === 412 || status === 404) return undefined;
        throw storageError(`creating instance "${record.instanceId}"`, error);
      }
    },

    async getInstance(instanceId) {
      const row = await getRow(instanceId);
      return row ? { record: await recordOf(blobs, row), etag: row.etag ?? '' } : undefined;
    },

    async listInstances() {
      const found = await rows(table(), odata`RowKey eq ${INSTANCE_ROW}`);
      return Promise.all(found.map((row) => recordOf(blobs, row)));
    },

    async readHistory(instanceId, executionId, fromChunk = 0) {
      const [from, to] = historyRange(executionId);
      const start = fromChunk > 0 ? `${from}${String(fromChunk).padStart(8, '0')}` : from;
      const found = await rows(table(), range(instanceId, [start, to]));
      found.sort((a, b) => (a.rowKey < b.rowKey ? -1 : 1));
      const chunks = await Promise.all(found.map((row) => eventsOf(blobs, row)));
      return chunks.flat();
    },

    async readInbox(instanceId) {
      const found = await rows(table(), range(instanceId, INBOX_RANGE));
      const messages = await Promise.all(found.map((row) => messageOf(blobs, row)));
      return messages.sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
    },

    async addMessage(instanceId, message, options) {
      if (options?.instanceExists !== true && !(await getRow(instanceId))) return false;
      try {
        // A transaction of one insert: the same 409 for a message stored before, on the batch's transport.
        await batch.submit([
          { op: 'create', entity: entityOf(await inboxEntity(blobs, instanceId, message)) },
        ]);
        return true;
      } catch (error) {
        if (statusOf(error) === 409) return false;
        throw storageError(`adding message "${message.id}" to instance "${instanceId}"`, error);
      }
    },

    async commitEpisode(commit) {
      const { instanceId } = commit;
      // The instance row first: its new ETag is the first one the transaction returns.
      const operations: BatchOperation[] = [
        { op: 'update', entity: entityOf(await instanceEntity(blobs, commit.record)), etag: commit.etag },
      ];
      if (commit.append) {
        const { executionId, chunk, events } = commit.append;
        operations.push({
          op: 'upsert',
          entity: entityOf(await historyEntity(blobs, instanceId, executionId, chunk, events)),
        });
      }
      for (const id of commit.consumed)
        operations.push({ op: 'delete', partitionKey: instanceId, rowKey: inboxRow(id) });
      for (const message of commit.enqueue ?? []) {
        operations.push({ op: 'upsert', entity: entityOf(await inboxEntity(blobs, instanceId, message)) });
      }
      if (operations.length > MAX_BATCH_OPERATIONS) {
        throw new DevhostError(
          'storage_failed',
          `An episode of "${instanceId}" needs ${operations.length} table operations; one transaction allows ${MAX_BATCH_OPERATIONS}.`,
        );
      }
      try {
        table();
        const { etags } = await batch.submit(operations);
        return etags[0] ?? '';
      } catch (error) {
        const status = statusOf(error);
        if (status === 412 || status === 404 || status === 409) {
          throw new DevhostError(
            'store_conflict',
            `Instance "${instanceId}" changed while an episode ran; it will be retried.`,
            {
              cause: error,
            },
          );
        }
        throw storageError(`committing an episode of "${instanceId}"`, error);
      }
    },

    async deleteHistory(instanceId, executionId) {
      await deleteRows(instanceId, range(instanceId, historyRange(executionId)));
    },

    async purgeInstance(instanceId) {
      const existed = (await getRow(instanceId)) !== undefined;
      await deleteRows(instanceId, partition(instanceId));
      await blobs.deleteAll(instanceId);
      return existed;
    },

    close() {
      transport?.close();
      return Promise.resolve();
    },
  };
}
