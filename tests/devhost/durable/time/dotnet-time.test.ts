import {
  formatTicks,
  nextTimestamp,
  parseTicks,
  statusTime,
  timeSpanString,
} from '../../../../devhost/durable/time/dotnet-time';

describe('dotnet-time', () => {
  it('formats timestamps like Newtonsoft, dropping trailing zeros of the seven fractional digits', () => {
    expect(formatTicks({ ms: Date.parse('2026-01-01T00:00:00Z'), ticks: 0 })).toBe('2026-01-01T00:00:00Z');
    expect(formatTicks({ ms: Date.parse('2026-01-01T00:00:00.120Z'), ticks: 0 })).toBe(
      '2026-01-01T00:00:00.12Z',
    );
    expect(formatTicks({ ms: Date.parse('2026-01-01T00:00:00Z'), ticks: 1 })).toBe(
      '2026-01-01T00:00:00.0000001Z',
    );
    expect(parseTicks('2026-01-01T00:00:00.1234567Z')).toEqual({
      ms: Date.parse('2026-01-01T00:00:00.123Z'),
      ticks: 4567,
    });
  });

  it('makes each next timestamp of an instance strictly later, by one tick when the clock has not moved', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const first = nextTimestamp(now, undefined);
    const second = nextTimestamp(now, first);
    const third = nextTimestamp(now, second);
    expect([first, second, third]).toEqual([
      '2026-01-01T00:00:00Z',
      '2026-01-01T00:00:00.0000001Z',
      '2026-01-01T00:00:00.0000002Z',
    ]);
    // JavaScript reads them at millisecond precision: the orchestrator sees the clock's time.
    expect(new Date(third).toISOString()).toBe(now.toISOString());
    expect(nextTimestamp(new Date('2026-01-01T00:00:01Z'), third)).toBe('2026-01-01T00:00:01Z');
  });

  it('formats status times without fraction and timer settings as .NET TimeSpans', () => {
    expect(statusTime('2026-01-01T10:20:30.1234567Z')).toBe('2026-01-01T10:20:30Z');
    expect(timeSpanString(3 * 24 * 60 * 60 * 1000)).toBe('3.00:00:00');
    expect(timeSpanString(90 * 60 * 1000 + 5000)).toBe('0.01:30:05');
  });
});
