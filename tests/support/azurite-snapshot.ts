/**
 * A JSON copy of everything an Azurite holds (every table's entities with their EDM types, every
 * blob), so the durable state of runs left in flight by one build can be committed as a fixture
 * and restored into a fresh Azurite for the next build to finish them.
 */
import { TableClient, TableServiceClient, type TableEntity } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';
import { z } from 'zod';

export const AzuriteSnapshotSchema = z.object({
  format: z.literal('durable-handoff.azurite-snapshot/1'),
  /** Table name -> entities as read with `disableTypeConversion` (typed values stay `{ value, type }`). */
  tables: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))),
  /** Container -> blob name -> content, base64. */
  blobs: z.record(z.string(), z.record(z.string(), z.string())),
});
export type AzuriteSnapshot = z.infer<typeof AzuriteSnapshotSchema>;

const options = { allowInsecureConnection: true } as const;

/** Entity properties the service sets itself; they are not written back. */
const SERVICE_PROPERTIES = new Set(['etag', 'timestamp', 'odata.metadata', 'Timestamp']);

/** Copies every table and blob of the storage account behind `connectionString`. */
export async function takeAzuriteSnapshot(connectionString: string): Promise<AzuriteSnapshot> {
  const snapshot: AzuriteSnapshot = { format: 'durable-handoff.azurite-snapshot/1', tables: {}, blobs: {} };
  const service = TableServiceClient.fromConnectionString(connectionString, options);
  for await (const table of service.listTables()) {
    const name = table.name ?? '';
    const client = TableClient.fromConnectionString(connectionString, name, options);
    const entities: Record<string, unknown>[] = [];
    for await (const entity of client.listEntities({ queryOptions: {}, disableTypeConversion: true })) {
      entities.push(
        Object.fromEntries(Object.entries(entity).filter(([key]) => !SERVICE_PROPERTIES.has(key))),
      );
    }
    snapshot.tables[name] = entities;
  }
  const blobs = BlobServiceClient.fromConnectionString(connectionString);
  for await (const container of blobs.listContainers()) {
    const client = blobs.getContainerClient(container.name);
    const contents: Record<string, string> = {};
    for await (const blob of client.listBlobsFlat()) {
      contents[blob.name] = (await client.getBlobClient(blob.name).downloadToBuffer()).toString('base64');
    }
    snapshot.blobs[container.name] = contents;
  }
  return snapshot;
}

/** Writes a snapshot into the (empty) storage account behind `connectionString`. */
export async function restoreAzuriteSnapshot(
  connectionString: string,
  snapshot: AzuriteSnapshot,
): Promise<void> {
  for (const [name, entities] of Object.entries(snapshot.tables)) {
    const client = TableClient.fromConnectionString(connectionString, name, options);
    await client.createTable();
    for (const entity of entities) await client.upsertEntity(entity as TableEntity, 'Replace');
  }
  const blobs = BlobServiceClient.fromConnectionString(connectionString);
  for (const [container, contents] of Object.entries(snapshot.blobs)) {
    const client = blobs.getContainerClient(container);
    await client.createIfNotExists();
    for (const [name, base64] of Object.entries(contents)) {
      const content = Buffer.from(base64, 'base64');
      await client.getBlockBlobClient(name).upload(content, content.length);
    }
  }
}
