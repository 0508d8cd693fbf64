/**
 * Entity-group transactions (the Table service's `$batch` request), built here and sent with a
 * `TableClient`'s own credential (shared key, SAS or an Entra ID token), retry and logging policies,
 * as every other request of the client is ({@link TableRequests}).
 *
 * Why not `TableClient.submitTransaction`: for every transaction it constructs a second
 * `TableClient` with a whole new pipeline, strips its policies, and runs each operation through
 * that client's serializer with policies that capture the request instead of sending it. That was
 * about 3 ms of CPU per transaction, the largest single item of the app's CPU per agent turn
 * (bench/README.md, #16), and the pipeline cannot be reused across transactions (the capturing
 * policy holds the transaction's body). The request itself is small and documented:
 * https://learn.microsoft.com/en-us/rest/api/storageservices/performing-entity-group-transactions
 * (the multipart/mixed body: one changeset of sub-requests, each an HTTP request line, headers and
 * a JSON body; the response: one changeset response per sub-request on success, or the one that
 * failed, with its status and an OData error). The sub-requests are those of
 * https://learn.microsoft.com/en-us/rest/api/storageservices/insert-entity,
 * .../insert-or-replace-entity, .../update-entity2 (replace at an ETag) and .../delete-entity1,
 * written as the SDK writes them. No merge (PATCH) is offered, the one operation the SDK rewrites
 * for Cosmos DB's Table API.
 */
import { randomUUID } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { TableRequests, type TableRequestsOptions } from './table-request';

/** A property value this app stores: strings, numbers (Int32 or Double) and booleans. */
export type BatchValue = string | number | boolean;

/** An entity to write in a batch. */
export type BatchEntity = { partitionKey: string; rowKey: string } & Record<string, BatchValue>;

/** One operation of an entity-group transaction. */
export type BatchOperation =
  /** Inserts the entity; the transaction fails (409) if it exists. */
  | { op: 'create'; entity: BatchEntity }
  /** Inserts the entity or replaces it whole. */
  | { op: 'upsert'; entity: BatchEntity }
  /** Replaces the entity whole, only at `etag`; the transaction fails (412) if it changed, (404) if there is none. */
  | { op: 'update'; entity: BatchEntity; etag: string }
  /** Deletes the entity (only at `etag`, when given); the transaction fails (404) if there is none. */
  | { op: 'delete'; partitionKey: string; rowKey: string; etag?: string };

/** What each operation of a committed transaction left, in order: the entity's new ETag (none for a delete). */
export interface BatchResult {
  etags: (string | undefined)[];
}

const CRLF = '\r\n';

/** The Table service's limit: at most 100 operations, all on one partition. */
export const MAX_BATCH_OPERATIONS = 100;

function keyLiteral(key: string): string {
  // OData string literal ('' for '), then URL-encoded, as the SDK writes entity addresses.
  return encodeURIComponent(key.replace(/'/g, "''"));
}

function entityJson(entity: BatchEntity): string {
  const body: Record<string, BatchValue> = {};
  for (const [name, value] of Object.entries(entity)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new TypeError(
        `Property '${name}' of a batch entity is a ${typeof value}; only strings, numbers and booleans are written.`,
      );
    }
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new RangeError(`Property '${name}' of a batch entity is not a finite number.`);
    }
    body[name === 'partitionKey' ? 'PartitionKey' : name === 'rowKey' ? 'RowKey' : name] = value;
  }
  return JSON.stringify(body);
}

/** One sub-request of the changeset. */
function subRequest(tableUrl: string, changeset: string, operation: BatchOperation): string {
  const head = `--${changeset}${CRLF}content-type: application/http${CRLF}content-transfer-encoding: binary${CRLF}${CRLF}`;
  if (operation.op === 'create') {
    return (
      `${head}POST ${tableUrl} HTTP/1.1${CRLF}` +
      `Content-Type: application/json;odata=nometadata${CRLF}Accept: application/json;odata=minimalmetadata${CRLF}` +
      `DataServiceVersion: 3.0${CRLF}Prefer: return-no-content${CRLF}${CRLF}${entityJson(operation.entity)}${CRLF}`
    );
  }
  const { partitionKey, rowKey } = operation.op === 'delete' ? operation : operation.entity;
  const address = `${tableUrl}(PartitionKey='${keyLiteral(partitionKey)}',RowKey='${keyLiteral(rowKey)}')`;
  if (operation.op !== 'delete') {
    // A PUT without If-Match inserts or replaces; with it, it replaces only that version.
    const condition = operation.op === 'update' ? `If-Match: ${operation.etag}${CRLF}` : '';
    return (
      `${head}PUT ${address} HTTP/1.1${CRLF}Content-Type: application/json${CRLF}Accept: application/json${CRLF}` +
      `DataServiceVersion: 3.0${CRLF}${condition}${CRLF}${entityJson(operation.entity)}${CRLF}`
    );
  }
  return (
    `${head}DELETE ${address} HTTP/1.1${CRLF}Accept: application/json;odata=minimalmetadata${CRLF}` +
    `DataServiceVersion: 3.0${CRLF}If-Match: ${operation.etag ?? '*'}${CRLF}${CRLF}`
  );
}

/** The error a failed sub-request (or a refused batch) reports: its status, code and message. */
function errorOf(text: string, status: number): { code: string | undefined; message: string } {
  const json = /\{[\s\S]*\}/.exec(text)?.[0];
  if (json) {
    try {
      const error = (JSON.parse(json) as { 'odata.error'?: { code?: string; message?: { value?: string } } })[
        'odata.error'
      ];
      if (error)
        return { code: error.code, message: error.message?.value ?? `Transaction failed (${status}).` };
    } catch {
      // not JSON: the status says it
    }
  }
  return { code: undefined, message: `Transaction failed (${status}).` };
}

/**
 * Sends entity-group transactions of one table with that table client's policies. A failed
 * transaction throws the SDK's `RestError` with the failing operation's status (409 for a create of
 * an entity that exists, 404 for a delete of one that does not, 412 for an ETag that no longer
 * matches), like `submitTransaction`.
 */
export class TableBatch {
  readonly #requests: TableRequests;

  constructor(client: TableClient, options: TableRequestsOptions = {}) {
    this.#requests = new TableRequests(client, options);
  }

  async submit(operations: readonly BatchOperation[]): Promise<BatchResult> {
    if (operations.length === 0 || operations.length > MAX_BATCH_OPERATIONS) {
      throw new RangeError(
        `A table transaction holds 1 to ${MAX_BATCH_OPERATIONS} operations, not ${operations.length}.`,
      );
    }
    const { base, sas, client } = this.#requests;
    const batch = `batch_${randomUUID()}`;
    const changeset = `changeset_${randomUUID()}`;
    const tableUrl = `${base}/${client.tableName}`;
    let body = `--${batch}${CRLF}content-type: multipart/mixed; boundary=${changeset}${CRLF}${CRLF}`;
    for (const operation of operations) body += subRequest(tableUrl, changeset, operation);
    body += `--${changeset}--${CRLF}--${batch}--${CRLF}`;
    // A SAS in the account URL goes after `$batch`, never into the sub-requests.
    const { response, restError } = await this.#requests.send(
      'POST',
      `${base}/$batch${sas ? `?${sas}` : ''}`,
      {
        Accept: 'application/json',
        DataServiceVersion: '3.0;',
        MaxDataServiceVersion: '3.0;NetFx',
        'Content-Type': `multipart/mixed; boundary=${batch}`,
        'Accept-Charset': 'UTF-8',
      },
      body,
    );
    const text = response.bodyAsText ?? '';
    if (response.status < 200 || response.status >= 300) {
      const { code, message } = errorOf(text, response.status);
      throw await restError(message, code, response.status);
    }
    // The response's own boundary is named in its Content-Type; its changeset's in its first part.
    const parts = text.split(/--changesetresponse_[^\r\n]*/).slice(1, -1);
    const etags: (string | undefined)[] = [];
    for (const part of parts) {
      const status = Number(/HTTP\/1\.1 (\d{3})/.exec(part)?.[1]);
      if (!Number.isInteger(status))
        throw new Error(`A table transaction's response has a part without a status:\n${part}`);
      if (status >= 300) {
        const { code, message } = errorOf(part, status);
        throw await restError(message, code, status);
      }
      etags.push(/^ETag: *(.+?)\s*$/im.exec(part)?.[1]);
    }
    if (parts.length !== operations.length) {
      throw new Error(
        `A table transaction of ${operations.length} operations was answered with ${parts.length} responses.`,
      );
    }
    return { etags };
  }
}
