import { TableClient } from '@azure/data-tables';
import { TableBatch } from '../../azure-tables/table-batch';
import { useInMemoryAzurite } from '../support/in-memory-azurite';

/** The entity as the SDK reads it back, without the service's metadata. */
async function read(client: TableClient, partitionKey: string, rowKey: string) {
  const {
    etag,
    timestamp,
    'odata.metadata': _metadata,
    ...entity
  } = await client.getEntity<Record<string, unknown>>(partitionKey, rowKey);
  return { entity, etag, timestamp };
}

function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number }).statusCode;
}

describe('entity-group transactions built by TableBatch (against Azurite)', () => {
  const azurite = useInMemoryAzurite('table-batch');
  let client: TableClient;
  let batch: TableBatch;
  let partition = 0;
  const newPartition = () => `p-${++partition}`;

  beforeAll(async () => {
    client = TableClient.fromConnectionString(azurite().connectionString, 'BatchTest', {
      allowInsecureConnection: true,
    });
    await client.createTable();
    batch = new TableBatch(client, { allowInsecureConnection: true });
  }, 60_000);

  it('creates, replaces and deletes entities in one transaction, typed as the SDK reads them', async () => {
    const p = newPartition();
    await client.createEntity({ partitionKey: p, rowKey: 'old', note: 'replace me', extra: 1 });
    await client.createEntity({ partitionKey: p, rowKey: 'gone', note: 'delete me' });
    const created = {
      partitionKey: p,
      rowKey: 'new',
      text: 'héllo "quoted" \\ \u00e9',
      count: 7,
      ratio: 0.5,
      flag: true,
    };
    const { etags } = await batch.submit([
      { op: 'create', entity: created },
      { op: 'upsert', entity: { partitionKey: p, rowKey: 'old', note: 'replaced' } },
      { op: 'delete', partitionKey: p, rowKey: 'gone' },
    ]);
    expect(etags).toHaveLength(3);
    expect((await read(client, p, 'new')).entity).toEqual(created);
    // Replace, not merge: the property the upsert left out is gone.
    expect((await read(client, p, 'old')).entity).toEqual({
      partitionKey: p,
      rowKey: 'old',
      note: 'replaced',
    });
    await expect(client.getEntity(p, 'gone')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('addresses row keys with quotes, slashes-free punctuation and non-ASCII letters', async () => {
    const p = newPartition();
    const rowKey = "it's ~preview!(é)";
    await client.createEntity({ partitionKey: p, rowKey, n: 1 });
    await batch.submit([
      { op: 'upsert', entity: { partitionKey: p, rowKey, n: 2 } },
      { op: 'create', entity: { partitionKey: p, rowKey: '!turn-0000000001', n: 3 } },
    ]);
    expect((await read(client, p, rowKey)).entity.n).toBe(2);
    await batch.submit([
      { op: 'delete', partitionKey: p, rowKey },
      { op: 'delete', partitionKey: p, rowKey: '!turn-0000000001' },
    ]);
    await expect(client.getEntity(p, rowKey)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('returns each written entity’s ETag, which conditional writes then accept', async () => {
    const p = newPartition();
    const { etags } = await batch.submit([
      { op: 'upsert', entity: { partitionKey: p, rowKey: 'a', v: 1 } },
      { op: 'create', entity: { partitionKey: p, rowKey: 'b', v: 1 } },
    ]);
    expect(etags[0]).toBe((await read(client, p, 'a')).etag);
    expect(etags[1]).toBe((await read(client, p, 'b')).etag);
    await client.updateEntity({ partitionKey: p, rowKey: 'a', v: 2 }, 'Replace', { etag: etags[0]! });
    // A delete at an ETag that no longer matches fails with 412, and takes the transaction with it.
    const stale = batch.submit([
      { op: 'upsert', entity: { partitionKey: p, rowKey: 'c', v: 1 } },
      { op: 'delete', partitionKey: p, rowKey: 'a', etag: etags[0]! },
    ]);
    await expect(stale).rejects.toMatchObject({ statusCode: 412 });
    await expect(client.getEntity(p, 'c')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('replaces an entity at its current ETag and returns the new one', async () => {
    const p = newPartition();
    await client.createEntity({ partitionKey: p, rowKey: 'row', state: 'first', extra: 'dropped' });
    const { etag } = await read(client, p, 'row');
    const { etags } = await batch.submit([
      { op: 'update', entity: { partitionKey: p, rowKey: 'row', state: 'second' }, etag },
      { op: 'create', entity: { partitionKey: p, rowKey: 'beside', v: 1 } },
    ]);
    const after = await read(client, p, 'row');
    expect(etags[0]).toBe(after.etag);
    expect(etags[0]).not.toBe(etag);
    // Replace, not merge: the property the update left out is gone.
    expect(after.entity).toEqual({ partitionKey: p, rowKey: 'row', state: 'second' });
    expect((await read(client, p, 'beside')).entity.v).toBe(1);
    // The new ETag is the one the next conditional update needs.
    await batch.submit([
      { op: 'update', entity: { partitionKey: p, rowKey: 'row', state: 'third' }, etag: etags[0]! },
    ]);
    expect((await read(client, p, 'row')).entity.state).toBe('third');
  });

  it('fails the whole transaction with 412 when an update finds another ETag, writing nothing', async () => {
    const p = newPartition();
    await client.createEntity({ partitionKey: p, rowKey: 'row', state: 'first' });
    await client.createEntity({ partitionKey: p, rowKey: 'inbox', v: 1 });
    const stale = (await read(client, p, 'row')).etag;
    await client.updateEntity({ partitionKey: p, rowKey: 'row', state: 'theirs' }, 'Replace', {
      etag: stale,
    });
    const current = await read(client, p, 'row');
    const error: unknown = await batch
      .submit([
        { op: 'update', entity: { partitionKey: p, rowKey: 'row', state: 'mine' }, etag: stale },
        { op: 'upsert', entity: { partitionKey: p, rowKey: 'history', v: 1 } },
        { op: 'delete', partitionKey: p, rowKey: 'inbox' },
      ])
      .catch((caught: unknown) => caught);
    expect(statusOf(error)).toBe(412);
    expect(await read(client, p, 'row')).toEqual(current);
    await expect(client.getEntity(p, 'history')).rejects.toMatchObject({ statusCode: 404 });
    expect((await read(client, p, 'inbox')).entity.v).toBe(1);
  });

  it('fails with 404 when an update finds no entity, writing nothing', async () => {
    const p = newPartition();
    await client.createEntity({ partitionKey: p, rowKey: 'other', v: 1 });
    const { etag } = await read(client, p, 'other');
    const error: unknown = await batch
      .submit([
        { op: 'upsert', entity: { partitionKey: p, rowKey: 'kept', v: 1 } },
        { op: 'update', entity: { partitionKey: p, rowKey: 'never-written', v: 2 }, etag: etag },
      ])
      .catch((caught: unknown) => caught);
    expect(statusOf(error)).toBe(404);
    await expect(client.getEntity(p, 'kept')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('fails the whole transaction with 409 when a create finds its entity, writing nothing', async () => {
    const p = newPartition();
    await client.createEntity({ partitionKey: p, rowKey: 'slot', state: 'committed' });
    const error: unknown = await batch
      .submit([
        { op: 'upsert', entity: { partitionKey: p, rowKey: 'event', v: 1 } },
        { op: 'create', entity: { partitionKey: p, rowKey: 'slot', state: 'mine' } },
      ])
      .catch((caught: unknown) => caught);
    expect(statusOf(error)).toBe(409);
    expect((error as { code?: string }).code).toBe('EntityAlreadyExists');
    await expect(client.getEntity(p, 'event')).rejects.toMatchObject({ statusCode: 404 });
    expect((await read(client, p, 'slot')).entity.state).toBe('committed');
  });

  it('fails with 404 when a delete finds no entity', async () => {
    const p = newPartition();
    const error: unknown = await batch
      .submit([
        { op: 'upsert', entity: { partitionKey: p, rowKey: 'kept', v: 1 } },
        { op: 'delete', partitionKey: p, rowKey: 'never-written' },
      ])
      .catch((caught: unknown) => caught);
    expect(statusOf(error)).toBe(404);
    await expect(client.getEntity(p, 'kept')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('refuses what the service would: more than 100 operations, or values it does not write', async () => {
    const p = newPartition();
    const many = Array.from({ length: 101 }, (_, i) => ({
      op: 'upsert' as const,
      entity: { partitionKey: p, rowKey: `r${i}`, v: i },
    }));
    await expect(batch.submit(many)).rejects.toThrow(RangeError);
    await expect(batch.submit([])).rejects.toThrow(RangeError);
    await expect(
      batch.submit([{ op: 'upsert', entity: { partitionKey: p, rowKey: 'x', v: Number.NaN } }]),
    ).rejects.toThrow(RangeError);
  });

  it('writes 100 operations in one transaction', async () => {
    const p = newPartition();
    const { etags } = await batch.submit(
      Array.from({ length: 100 }, (_, i) => ({
        op: 'create' as const,
        entity: { partitionKey: p, rowKey: `r${String(i).padStart(3, '0')}`, v: i },
      })),
    );
    expect(etags.every((etag) => typeof etag === 'string')).toBe(true);
    let count = 0;
    for await (const entity of client.listEntities({ queryOptions: { filter: `PartitionKey eq '${p}'` } })) {
      expect(entity.v).toBe(Number(entity.rowKey!.slice(1)));
      count += 1;
    }
    expect(count).toBe(100);
  });
});
