/**
 * The answer preview's row in the events table. Its key sorts after every event row ('~' > '9'),
 * so the range query that reads events after a seq returns it too, last: an event stream learns of
 * new events and of the preview in one request, and pays nothing more while no preview is stored.
 */
import type { TableClient } from '@azure/data-tables';
import { TurnPreviewSchema, type StoredPreview, type TurnPreview } from '../preview/turn-preview';
import { decodePayload, encodePayload } from './entity-payload';

/** The preview's row key (one row per run: a run runs one turn at a time). */
export const PREVIEW_ROW_KEY = '~preview';

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * What the run's finish leaves in the preview row (instead of deleting it, which fails when there
 * is none, so it could not join the closing events' transaction): no preview. Its payload is a
 * preview with no text at the run's last event, which readers of earlier builds skip as well.
 */
export function settledPreviewRow(partitionKey: string, lastSeq: number) {
  const none: TurnPreview = { firstSeq: lastSeq, agent: '-', turn: 1, attempt: 1, text: '' };
  return { partitionKey, rowKey: PREVIEW_ROW_KEY, settled: true, ...encodePayload('Answer preview', none) };
}

/** Whether a preview row is what {@link settledPreviewRow} writes. */
export function isSettledPreviewRow(entity: Record<string, unknown>): boolean {
  return entity.settled === true;
}

/** The preview an entity of the preview row holds. */
export function previewOf(entity: Record<string, unknown>): TurnPreview {
  return TurnPreviewSchema.parse(decodePayload(entity));
}

export async function readPreviewRow(
  table: TableClient,
  partitionKey: string,
): Promise<StoredPreview | undefined> {
  try {
    const entity = await table.getEntity<Record<string, unknown>>(partitionKey, PREVIEW_ROW_KEY);
    if (isSettledPreviewRow(entity)) return undefined;
    return { preview: previewOf(entity), version: entity.etag };
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/** The preview row holding `preview`. */
export function previewRow(partitionKey: string, preview: TurnPreview) {
  return { partitionKey, rowKey: PREVIEW_ROW_KEY, ...encodePayload('Answer preview', preview) };
}

export async function writePreviewRow(
  table: TableClient,
  partitionKey: string,
  preview: TurnPreview,
  replacing: string | undefined,
): Promise<string | undefined> {
  const entity = previewRow(partitionKey, preview);
  try {
    const written =
      replacing === undefined
        ? await table.createEntity(entity)
        : await table.updateEntity(entity, 'Replace', { etag: replacing });
    if (written.etag === undefined)
      throw new Error('The table service answered a preview write without an ETag.');
    return written.etag;
  } catch (error) {
    // 409: created by another writer; 412: changed by one; 404: removed (the turn committed).
    const status = statusOf(error);
    if (status === 409 || status === 412 || status === 404) return undefined;
    throw error;
  }
}

export async function deletePreviewRow(
  table: TableClient,
  partitionKey: string,
  version: string | undefined,
): Promise<void> {
  try {
    await table.deleteEntity(partitionKey, PREVIEW_ROW_KEY, { etag: version ?? '*' });
  } catch (error) {
    const status = statusOf(error);
    if (status !== 404 && status !== 412) throw error;
  }
}
