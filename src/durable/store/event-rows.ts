import type { WorkflowEvent } from '../../core/events';
import { MAX_PAYLOAD_LENGTH, PayloadTooLargeError, storedJson } from './entity-payload';

/**
 * One stored row of a run's events: consecutive events written together (usually all the events
 * one activity hands over), as one JSON array. The row key is the last event's `seq`, so "events
 * after n" stays one range query (`RowKey gt n`) whose first row may start at or before n.
 */
export interface EventRow {
  firstSeq: number;
  lastSeq: number;
  /** The events' JSON array, as {@link storedJson} writes it. */
  json: string;
}

/**
 * Packs events into as few rows as the entity size allows. Deterministic for the same events, so a
 * retried write upserts the same rows. Fails with {@link PayloadTooLargeError} for an event too
 * large for a row of its own, as storing it alone would.
 */
export function packEventRows(
  events: readonly WorkflowEvent[],
  maxLength: number = MAX_PAYLOAD_LENGTH,
): EventRow[] {
  const rows: EventRow[] = [];
  let parts: string[] = [];
  let length = 2; // the brackets
  let firstSeq = 0;
  let lastSeq = 0;
  const close = () => {
    if (parts.length > 0) rows.push({ firstSeq, lastSeq, json: `[${parts.join(',')}]` });
    parts = [];
    length = 2;
  };
  for (const event of events) {
    if (event.seq <= lastSeq) {
      throw new RangeError(`Events must be in ascending seq order; ${event.seq} follows ${lastSeq}.`);
    }
    const json = storedJson(event);
    if (json.length + 2 > maxLength) {
      throw new PayloadTooLargeError(`Event ${event.seq} (${event.type})`, json.length);
    }
    const added = json.length + (parts.length > 0 ? 1 : 0);
    if (length + added > maxLength) close();
    if (parts.length === 0) firstSeq = event.seq;
    parts.push(json);
    length += json.length + (parts.length > 1 ? 1 : 0);
    lastSeq = event.seq;
  }
  close();
  return rows;
}

/**
 * Collects events with `seq > afterSeq` from rows read in row-key order. Two rows hold the same
 * `seq` when events handed to a turn that never completed were stored by it and again by the
 * finish activity; a `seq` always holds the same event, so the first copy is kept, once.
 */
export class EventRowReader {
  readonly #afterSeq: number;
  readonly #events = new Map<number, WorkflowEvent>();

  constructor(afterSeq: number) {
    this.#afterSeq = afterSeq;
  }

  /**
   * Adds the events of one row. A reply request is stored without `kind` (as every request was
   * before approvals): readers get it with `kind: "reply"`.
   */
  add(events: readonly WorkflowEvent[]): void {
    for (const event of events) {
      if (event.seq > this.#afterSeq && !this.#events.has(event.seq)) {
        this.#events.set(
          event.seq,
          event.type === 'request_info' && event.kind === undefined ? { ...event, kind: 'reply' } : event,
        );
      }
    }
  }

  get size(): number {
    return this.#events.size;
  }

  /** The events collected, ascending by `seq`, at most `limit`. */
  take(limit: number): WorkflowEvent[] {
    return [...this.#events.values()].sort((a, b) => a.seq - b.seq).slice(0, limit);
  }
}
