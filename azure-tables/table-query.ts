/**
 * Entity queries of one table (the Table service's Query Entities request), sent with the
 * `TableClient`'s own credential, retry and logging policies like {@link TableBatch}'s
 * transactions ({@link TableRequests}).
 *
 * Why not `TableClient.listEntities`: for every page the SDK builds the request from its operation
 * spec (URL template, query parameter mappers), then walks the parsed response through its
 * serializer's mappers and its own entity transforms. That was the largest part of the status
 * read's CPU (bench/README.md, #16). The request and the answer are small and documented:
 * https://learn.microsoft.com/en-us/rest/api/storageservices/query-entities (a GET of
 * `<table>()?$filter=...&$top=...`, answered with `{"value":[...]}` and, when more rows match,
 * the `x-ms-continuation-NextPartitionKey` and `-NextRowKey` headers to ask for the next page).
 * Entities are asked for without OData metadata: the app stores strings, numbers and booleans,
 * which JSON carries as they are.
 */
import type { TableClient } from '@azure/data-tables';
import { TableRequests, type TableRequestsOptions } from './table-request';

/** A queried entity as the service sends it: `PartitionKey`, `RowKey`, `Timestamp` and the properties. */
export type QueriedEntity = Record<string, unknown> & { PartitionKey: string; RowKey: string };

function errorOf(body: unknown, status: number): { code: string | undefined; message: string } {
  const error = (body as { 'odata.error'?: { code?: string; message?: { value?: string } } } | null)?.[
    'odata.error'
  ];
  return {
    code: error?.code,
    message: error?.message?.value ?? `Query failed (${status}).`,
  };
}

/** Sends entity queries of one table with that table client's policies. */
export class TableQuery {
  readonly #requests: TableRequests;

  constructor(client: TableClient, options: TableRequestsOptions = {}) {
    this.#requests = new TableRequests(client, options);
  }

  /**
   * The pages of entities matching `filter` (an OData filter, written with the SDK's `odata` tag),
   * in key order, at most `pageSize` a page. A failed request throws the SDK's `RestError`.
   */
  async *pages(filter: string, pageSize = 1000): AsyncGenerator<QueriedEntity[], void, undefined> {
    const { base, sas, client } = this.#requests;
    const url = `${base}/${client.tableName}()?$filter=${encodeURIComponent(filter)}&$top=${pageSize}`;
    let next = '';
    for (;;) {
      const { response, restError } = await this.#requests.send(
        'GET',
        `${url}${next}${sas ? `&${sas}` : ''}`,
        { Accept: 'application/json;odata=nometadata', DataServiceVersion: '3.0' },
      );
      // The client's whole pipeline (a proxy, a policy of its own) parses a JSON answer into
      // `parsedBody` (its deserialization policy); the lean chain and a given transport leave the text.
      const parsed = response.parsedBody;
      const body = parsed ?? (response.bodyAsText ? (JSON.parse(response.bodyAsText) as unknown) : undefined);
      if (response.status < 200 || response.status >= 300) {
        const { code, message } = errorOf(body, response.status);
        throw await restError(message, code, response.status);
      }
      const value = (body as { value?: unknown } | undefined)?.value;
      if (!Array.isArray(value)) {
        throw new Error(`The table service answered a query of ${client.tableName} without a value array.`);
      }
      yield value as QueriedEntity[];
      const partition = response.headers.get('x-ms-continuation-NextPartitionKey');
      const row = response.headers.get('x-ms-continuation-NextRowKey');
      if (partition === undefined && row === undefined) return;
      next =
        (partition === undefined ? '' : `&NextPartitionKey=${encodeURIComponent(partition)}`) +
        (row === undefined ? '' : `&NextRowKey=${encodeURIComponent(row)}`);
    }
  }
}
