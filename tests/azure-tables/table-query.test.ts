import { odata, TableClient } from '@azure/data-tables';
import { TableBatch } from '../../azure-tables/table-batch';
import { TableQuery, type QueriedEntity } from '../../azure-tables/table-query';
import { useInMemoryAzurite } from '../support/in-memory-azurite';

async function all(query: TableQuery, filter: string, pageSize?: number) {
  const pages: QueriedEntity[][] = [];
  for await (const page of query.pages(filter, pageSize)) pages.push(page);
  return pages;
}

describe('entity queries built by TableQuery (against Azurite)', () => {
  const azurite = useInMemoryAzurite('table-query');
  let client: TableClient;
  let query: TableQuery;

  beforeAll(async () => {
    client = TableClient.fromConnectionString(azurite().connectionString, 'QueryTest', {
      allowInsecureConnection: true,
    });
    await client.createTable();
    query = new TableQuery(client, { allowInsecureConnection: true });
  });

  it('returns the entities of a range in key order, with the values the SDK reads', async () => {
    const p = "run 'quoted' é";
    const batch = new TableBatch(client, { allowInsecureConnection: true });
    await batch.submit(
      ['b', 'a', 'c', 'd'].map((rowKey) => ({
        op: 'upsert' as const,
        entity: {
          partitionKey: p,
          rowKey,
          text: `héllo ${rowKey} "x"`,
          count: 7,
          ratio: 0.5,
          flag: true,
        },
      })),
    );
    await client.createEntity({ partitionKey: `${p}-other`, rowKey: 'b', text: 'other partition' });
    const pages = await all(query, odata`PartitionKey eq ${p} and RowKey ge ${'b'} and RowKey lt ${'d'}`);
    const rows = pages.flat();
    expect(rows.map((row) => row.RowKey)).toEqual(['b', 'c']);
    const sdk = [];
    for await (const entity of client.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${p} and RowKey ge ${'b'} and RowKey lt ${'d'}` },
    })) {
      sdk.push(entity);
    }
    for (const [i, row] of rows.entries()) {
      expect(row.PartitionKey).toBe(p);
      expect({ text: row.text, count: row.count, ratio: row.ratio, flag: row.flag }).toEqual({
        text: sdk[i]!.text,
        count: sdk[i]!.count,
        ratio: sdk[i]!.ratio,
        flag: sdk[i]!.flag,
      });
    }
  });

  it('follows continuation tokens across pages', async () => {
    const p = 'paged';
    const batch = new TableBatch(client, { allowInsecureConnection: true });
    const keys = Array.from({ length: 120 }, (_, i) => String(i).padStart(4, '0'));
    await batch.submit(
      keys
        .slice(0, 100)
        .map((rowKey) => ({ op: 'upsert' as const, entity: { partitionKey: p, rowKey, n: Number(rowKey) } })),
    );
    await batch.submit(
      keys
        .slice(100)
        .map((rowKey) => ({ op: 'upsert' as const, entity: { partitionKey: p, rowKey, n: Number(rowKey) } })),
    );
    const pages = await all(query, odata`PartitionKey eq ${p}`, 50);
    expect(pages.map((page) => page.length)).toEqual([50, 50, 20]);
    expect(pages.flat().map((row) => row.RowKey)).toEqual(keys);
  });

  it('finds nothing in an empty range', async () => {
    expect((await all(query, odata`PartitionKey eq ${'none'}`)).flat()).toEqual([]);
  });

  it("fails with the service's status when the table does not exist", async () => {
    const missing = new TableQuery(
      TableClient.fromConnectionString(azurite().connectionString, 'NoSuchTable', {
        allowInsecureConnection: true,
      }),
      { allowInsecureConnection: true },
    );
    await expect(all(missing, odata`PartitionKey eq ${'p'}`)).rejects.toMatchObject({ statusCode: 404 });
  });
});
