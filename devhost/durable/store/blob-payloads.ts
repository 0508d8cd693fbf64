/**
 * Large values in Blob storage. A Table string property holds at most 64 KB (32 K UTF-16 code
 * units); like the Azure Storage provider, values above ~60 KB go to a blob and the row keeps its
 * name. Blob names are content hashes under the instance's prefix: a write that is never committed
 * leaves an orphan, never a wrong value, and a purge deletes the prefix.
 */
import { createHash } from 'node:crypto';
import type { ContainerClient } from '@azure/storage-blob';

/** Values longer than this many UTF-16 code units (60 KB) go to a blob. */
export const MAX_INLINE_CHARS = 30_720;

/** Reads and writes large values of one task hub's container. */
export interface BlobPayloads {
  /** Stores `value` and returns the blob name to keep in the row. */
  put(instanceId: string, value: string): Promise<string>;
  get(blobName: string): Promise<string>;
  /** Deletes every blob of an instance. */
  deleteAll(instanceId: string): Promise<void>;
}

/** Blob payloads in `container` (which must exist). */
export function blobPayloads(container: ContainerClient): BlobPayloads {
  return {
    async put(instanceId, value) {
      const name = `${instanceId}/${createHash('sha256').update(value).digest('hex')}`;
      const data = Buffer.from(value, 'utf8');
      await container.getBlockBlobClient(name).upload(data, data.length);
      return name;
    },
    async get(blobName) {
      return (await container.getBlobClient(blobName).downloadToBuffer()).toString('utf8');
    },
    async deleteAll(instanceId) {
      for await (const blob of container.listBlobsFlat({ prefix: `${instanceId}/` })) {
        await container.getBlobClient(blob.name).deleteIfExists();
      }
    },
  };
}
