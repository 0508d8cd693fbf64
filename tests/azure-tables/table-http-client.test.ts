/**
 * The lean HTTP client under Table requests, on a kept-alive connection the server closed while it
 * was idle: the request is sent again at once on a new connection (the server never read it),
 * instead of failing to the SDK's retry policy and waiting out its back-off. The client here has
 * the policy's retries turned off, so only the HTTP client's own resend can answer.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AzureNamedKeyCredential, odata, TableClient } from '@azure/data-tables';
import { TableQuery } from '../../azure-tables/table-query';

/** A Table service stand-in that answers each connection's first query and drops the connection at its next. */
async function oneAnswerPerConnection(): Promise<{
  client: TableClient;
  received: () => number;
  close: () => Promise<void>;
}> {
  const seenOn = new WeakMap<Socket, number>();
  let received = 0;
  const server = http.createServer((request, response) => {
    received += 1;
    const nth = (seenOn.get(request.socket) ?? 0) + 1;
    seenOn.set(request.socket, nth);
    request.resume();
    request.on('end', () => {
      // What a server's idle timer does to a kept-alive connection whose close the client has not read yet.
      if (nth > 1) {
        request.socket.destroy();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json;odata=nometadata' });
      response.end(JSON.stringify({ value: [{ PartitionKey: 'p', RowKey: `r${received}` }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const client = new TableClient(
    `http://127.0.0.1:${port}/devstoreaccount1`,
    'Stale',
    new AzureNamedKeyCredential('devstoreaccount1', Buffer.from('not-a-secret').toString('base64')),
    { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } },
  );
  return {
    client,
    received: () => received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('the Table HTTP client on a kept-alive connection the server closed', () => {
  it('sends the request again on a new connection, with no retry of the SDK policy', async () => {
    const server = await oneAnswerPerConnection();
    try {
      const query = new TableQuery(server.client, { allowInsecureConnection: true });
      const filter = odata`PartitionKey eq ${'p'}`;
      expect((await query.pages(filter).next()).value).toEqual([{ PartitionKey: 'p', RowKey: 'r1' }]);
      // Sent on the kept-alive connection (dropped), then on a new one, which answers.
      expect((await query.pages(filter).next()).value).toEqual([{ PartitionKey: 'p', RowKey: 'r3' }]);
      expect(server.received()).toBe(3);
    } finally {
      await server.close();
    }
  });

  it('resends once only: a second closed connection fails to the retry policy (here: none)', async () => {
    const server = await oneAnswerPerConnection();
    try {
      const query = new TableQuery(server.client, { allowInsecureConnection: true });
      const filter = odata`PartitionKey eq ${'p'}`;
      // Two queries at once leave two kept-alive connections, each dropped at its next request: the
      // third query's resend finds the second dropped too, and is not sent a third time.
      await Promise.all([query.pages(filter).next(), query.pages(filter).next()]);
      await expect(query.pages(filter).next()).rejects.toMatchObject({
        name: 'RestError',
        code: 'ECONNRESET',
      });
      expect(server.received()).toBe(4);
    } finally {
      await server.close();
    }
  });
});
