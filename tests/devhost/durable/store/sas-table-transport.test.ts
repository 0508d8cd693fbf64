import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TableClient } from '@azure/data-tables';
import { TableBatch } from '../../../../azure-tables/table-batch';
import { TableQuery } from '../../../../azure-tables/table-query';
import {
  sasTableTransport,
  type SasTableTransport,
} from '../../../../devhost/durable/store/sas-table-transport';
import { sasTableClient } from '../../../../devhost/durable/store/table-sas-client';
import { useInMemoryAzurite } from '../../../support/in-memory-azurite';

describe('the engine table requests on the SAS transport (against Azurite)', () => {
  const azurite = useInMemoryAzurite('sas-table-transport');
  let keyed: TableClient;
  let batch: TableBatch;
  let query: TableQuery;
  let transport: SasTableTransport;

  beforeAll(async () => {
    keyed = TableClient.fromConnectionString(azurite().connectionString, 'TransportHubDevhostState', {
      allowInsecureConnection: true,
    });
    await keyed.createTable();
    const sas = sasTableClient(azurite().connectionString, keyed.url, keyed.tableName, {
      allowInsecureConnection: true,
    })!;
    transport = sasTableTransport(() => sas.credential.signature);
    const options = { allowInsecureConnection: true, transport: transport.send };
    batch = new TableBatch(sas.client, options);
    query = new TableQuery(sas.client, options);
  }, 60_000);
  afterAll(() => transport.close());

  it('commits a transaction authorized by the SAS, with the ETags the service gave', async () => {
    const { etags } = await batch.submit([
      { op: 'create', entity: { partitionKey: 'a', rowKey: 'instance', status: 'Running' } },
      { op: 'upsert', entity: { partitionKey: 'a', rowKey: 'history-1', events: '[]' } },
    ]);
    const stored = await keyed.getEntity('a', 'instance');
    expect(etags[0]).toBe(stored.etag);
    expect(stored).toMatchObject({ status: 'Running' });
  });

  it('answers an insert of an existing row with the SDK error of status 409', async () => {
    await batch.submit([{ op: 'create', entity: { partitionKey: 'b', rowKey: 'message-1', n: 1 } }]);
    await expect(
      batch.submit([{ op: 'create', entity: { partitionKey: 'b', rowKey: 'message-1', n: 2 } }]),
    ).rejects.toMatchObject({ name: 'RestError', statusCode: 409 });
    expect(await keyed.getEntity('b', 'message-1')).toMatchObject({ n: 1 });
  });

  it('reads query pages through the transport', async () => {
    await batch.submit(
      ['1', '2', '3'].map((n) => ({ op: 'upsert' as const, entity: { partitionKey: 'c', rowKey: n } })),
    );
    const rows: string[] = [];
    for await (const page of query.pages("PartitionKey eq 'c'", 2))
      rows.push(...page.map((row) => row.RowKey));
    expect(rows).toEqual(['1', '2', '3']);
  });

  it('is refused without the SAS', async () => {
    const unsigned = sasTableTransport(() => '');
    try {
      const refused = new TableBatch(
        sasTableClient(azurite().connectionString, keyed.url, keyed.tableName, {
          allowInsecureConnection: true,
        })!.client,
        { transport: unsigned.send },
      );
      await expect(
        refused.submit([{ op: 'upsert', entity: { partitionKey: 'd', rowKey: '1' } }]),
      ).rejects.toMatchObject({ statusCode: 403 });
    } finally {
      unsigned.close();
    }
  });
});

describe('the SAS transport on kept-alive connections', () => {
  it('sends a request again when the server closed the reused connection before answering', async () => {
    // A server that answers the first request of each connection and drops the connection at its second.
    const seenOn = new WeakMap<object, number>();
    let answered = 0;
    let received = 0;
    const server = http.createServer((req, res) => {
      received += 1;
      const count = (seenOn.get(req.socket) ?? 0) + 1;
      seenOn.set(req.socket, count);
      if (count > 1) {
        req.socket.destroy();
        return;
      }
      answered += 1;
      req.resume();
      req.on('end', () => res.end(`answer ${answered} to ${req.url}`));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const transport = sasTableTransport(() => 'sig=x');
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/devstoreaccount1/$batch`;
      const first = await transport.send({ method: 'POST', url, headers: {}, body: 'one' });
      const second = await transport.send({ method: 'POST', url, headers: {}, body: 'two' });
      expect(first).toMatchObject({ status: 200, bodyAsText: 'answer 1 to /devstoreaccount1/$batch?sig=x' });
      expect(second).toMatchObject({ status: 200, bodyAsText: 'answer 2 to /devstoreaccount1/$batch?sig=x' });
      // The second request went on the kept-alive connection first, then again on a new one.
      expect(received).toBe(3);
    } finally {
      transport.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('fails when a new connection fails', async () => {
    const server = http.createServer((req) => req.socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const transport = sasTableTransport(() => 'sig=x');
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/devstoreaccount1/$batch`;
      await expect(transport.send({ method: 'GET', url, headers: {} })).rejects.toMatchObject({
        code: 'ECONNRESET',
      });
    } finally {
      transport.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
