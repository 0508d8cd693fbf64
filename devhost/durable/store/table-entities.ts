/**
 * The Table rows of the durable state. One partition per instance (PartitionKey = instance id):
 * - `instance`: the record;
 * - `history|<executionId>|<chunk>`: one row per episode with its events (JSON);
 * - `inbox|<messageId>`: a pending message (arrival order in `Seq`).
 * Every property is a string; values too large for a row are kept in blobs (`<Name>Blob`).
 */
import type { TableEntity } from '@azure/data-tables';
import { HistorySchema, HistoryEventSchema, type HistoryEvent } from '../history/history-event';
import { RuntimeStatusSchema } from '../runtime-status';
import { MAX_INLINE_CHARS, type BlobPayloads } from './blob-payloads';
import type { InboxMessage, InstanceRecord } from './instance-store';

/** Row key of the instance record. */
export const INSTANCE_ROW = 'instance';
/** First and past-last row keys of an execution's history chunks. */
export const historyRange = (executionId: string): [string, string] => [
  `history|${executionId}|`,
  `history|${executionId}}`,
];
/** Row key of history chunk `chunk` of an execution. */
export const historyRow = (executionId: string, chunk: number): string =>
  `history|${executionId}|${String(chunk).padStart(8, '0')}`;
/** First and past-last row keys of the inbox. */
export const INBOX_RANGE: [string, string] = ['inbox|', 'inbox}'];
/** Row key of an inbox message. */
export const inboxRow = (messageId: string): string => `inbox|${messageId}`;

/** A row as read back: string properties plus the system ones. */
export type Row = TableEntity<Record<string, string | undefined>>;

async function pack(
  blobs: BlobPayloads,
  instanceId: string,
  values: Record<string, string | null>,
): Promise<Record<string, string>> {
  const properties: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === null) continue;
    if (value.length > MAX_INLINE_CHARS) properties[`${name}Blob`] = await blobs.put(instanceId, value);
    // Azurite (3.35) fails entity-group transactions whose strings hold U+2028/U+2029; such rare
    // values are stored base64-encoded instead.
    else if (LINE_SEPARATORS.test(value))
      properties[`${name}Base64`] = Buffer.from(value, 'utf8').toString('base64');
    else properties[name] = value;
  }
  return properties;
}

const LINE_SEPARATORS = /[\u2028\u2029]/;

async function unpack(blobs: BlobPayloads, row: Row, name: string): Promise<string | null> {
  const blob = row[`${name}Blob`];
  if (typeof blob === 'string') return blobs.get(blob);
  const encoded = row[`${name}Base64`];
  if (typeof encoded === 'string') return Buffer.from(encoded, 'base64').toString('utf8');
  const value = row[name];
  return typeof value === 'string' ? value : null;
}

/** The instance row of a record. */
export async function instanceEntity(blobs: BlobPayloads, record: InstanceRecord): Promise<Row> {
  return {
    partitionKey: record.instanceId,
    rowKey: INSTANCE_ROW,
    Name: record.name,
    ExecutionId: record.executionId,
    Generation: String(record.generation),
    RuntimeStatus: record.runtimeStatus,
    CreatedTime: record.createdTime,
    LastUpdatedTime: record.lastUpdatedTime,
    LastEventTime: record.lastEventTime,
    Episodes: String(record.episodes),
    ...(record.version === null ? {} : { Version: record.version }),
    ...(await pack(blobs, record.instanceId, {
      Input: record.input,
      Output: record.output,
      CustomStatus: record.customStatus,
    })),
  };
}

/** The record of an instance row. */
export async function recordOf(blobs: BlobPayloads, row: Row): Promise<InstanceRecord> {
  return {
    instanceId: row.partitionKey,
    name: row.Name ?? '',
    version: row.Version ?? null,
    executionId: row.ExecutionId ?? '',
    generation: Number(row.Generation ?? '0'),
    runtimeStatus: RuntimeStatusSchema.parse(row.RuntimeStatus),
    input: await unpack(blobs, row, 'Input'),
    output: await unpack(blobs, row, 'Output'),
    customStatus: await unpack(blobs, row, 'CustomStatus'),
    createdTime: row.CreatedTime ?? '',
    lastUpdatedTime: row.LastUpdatedTime ?? '',
    lastEventTime: row.LastEventTime ?? '',
    episodes: Number(row.Episodes ?? '0'),
  };
}

/** A history chunk row. */
export async function historyEntity(
  blobs: BlobPayloads,
  instanceId: string,
  executionId: string,
  chunk: number,
  events: HistoryEvent[],
): Promise<Row> {
  return {
    partitionKey: instanceId,
    rowKey: historyRow(executionId, chunk),
    ...(await pack(blobs, instanceId, { Events: JSON.stringify(events) })),
  };
}

/** The events of a history chunk row (validated). */
export async function eventsOf(blobs: BlobPayloads, row: Row): Promise<HistoryEvent[]> {
  return HistorySchema.parse(JSON.parse((await unpack(blobs, row, 'Events')) ?? '[]'));
}

/** An inbox row. */
export async function inboxEntity(
  blobs: BlobPayloads,
  instanceId: string,
  message: InboxMessage,
): Promise<Row> {
  return {
    partitionKey: instanceId,
    rowKey: inboxRow(message.id),
    Seq: message.seq,
    ...(message.executionId === undefined ? {} : { ExecutionId: message.executionId }),
    ...(await pack(blobs, instanceId, { Event: JSON.stringify(message.event) })),
  };
}

/** The message of an inbox row (validated). */
export async function messageOf(blobs: BlobPayloads, row: Row): Promise<InboxMessage> {
  return {
    id: row.rowKey.slice(INBOX_RANGE[0].length),
    seq: row.Seq ?? '',
    event: HistoryEventSchema.parse(JSON.parse((await unpack(blobs, row, 'Event')) ?? 'null')),
    ...(row.ExecutionId === undefined ? {} : { executionId: row.ExecutionId }),
  };
}
