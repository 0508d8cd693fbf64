import type { WorkflowEvent } from '../../../src/core/events';
import { PayloadTooLargeError, storedJson } from '../../../src/durable/store/entity-payload';
import { EventRowReader, packEventRows } from '../../../src/durable/store/event-rows';

function warning(seq: number, message = `note ${seq}`): WorkflowEvent {
  return { type: 'warning', seq, timestamp: '2026-11-24T09:00:00.000Z', code: 'test', message };
}

describe('packEventRows', () => {
  it('writes the events of one hand-over as one row keyed by the last seq', () => {
    const events = [warning(5), warning(6), warning(7)];
    const rows = packEventRows(events);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ firstSeq: 5, lastSeq: 7 });
    expect(JSON.parse(rows[0]!.json)).toEqual(events);
  });

  it('writes nothing for no events', () => {
    expect(packEventRows([])).toEqual([]);
  });

  it('starts a new row when the next event would make the row too large, keeping every row within the limit', () => {
    const events = [1, 2, 3, 4, 5].map((seq) => warning(seq, 'x'.repeat(40)));
    const one = storedJson(events[0]).length;
    const limit = 2 + one * 2 + 1; // room for exactly two events
    const rows = packEventRows(events, limit);
    expect(rows.map((row) => [row.firstSeq, row.lastSeq])).toEqual([
      [1, 2],
      [3, 4],
      [5, 5],
    ]);
    for (const row of rows) expect(row.json.length).toBeLessThanOrEqual(limit);
    expect(rows.flatMap((row) => JSON.parse(row.json) as WorkflowEvent[])).toEqual(events);
  });

  it('packs the same events into the same rows every time, so a retried write upserts the same rows', () => {
    const events = [1, 2, 3, 4].map((seq) => warning(seq, 'y'.repeat(seq * 10)));
    expect(packEventRows(events, 150)).toEqual(packEventRows(events, 150));
  });

  it('refuses an event too large for a row of its own, naming it', () => {
    const big = warning(3, 'z'.repeat(500));
    expect(() => packEventRows([warning(2), big], 200)).toThrow(PayloadTooLargeError);
    expect(() => packEventRows([big], 200)).toThrow(/Event 3 \(warning\)/);
  });

  it('refuses events out of seq order', () => {
    expect(() => packEventRows([warning(2), warning(2)])).toThrow(/ascending seq order; 2 follows 2/);
  });

  it('escapes line and paragraph separators, as every stored payload does', () => {
    const [row] = packEventRows([warning(1, 'a\u2028b\u2029c')]);
    expect(row!.json).not.toMatch(/[\u2028\u2029]/);
    expect((JSON.parse(row!.json) as WorkflowEvent[])[0]).toMatchObject({ message: 'a\u2028b\u2029c' });
  });
});

describe('EventRowReader', () => {
  it('keeps only events after the cursor, in seq order, up to the limit', () => {
    const reader = new EventRowReader(3);
    reader.add([warning(2), warning(3), warning(4)]);
    reader.add([warning(5), warning(6)]);
    expect(reader.size).toBe(3);
    expect(reader.take(2).map((event) => event.seq)).toEqual([4, 5]);
    expect(reader.take(10).map((event) => event.seq)).toEqual([4, 5, 6]);
  });

  it('keeps one copy of a seq that two rows hold', () => {
    const reader = new EventRowReader(0);
    reader.add([warning(1), warning(2)]);
    reader.add([warning(2), warning(3)]);
    expect(reader.take(10).map((event) => event.seq)).toEqual([1, 2, 3]);
  });
});
