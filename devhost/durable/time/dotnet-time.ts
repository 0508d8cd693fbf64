/**
 * Timestamps as the Durable Task Framework writes them.
 *
 * DTFx stores `DateTime` values with 100 ns ticks and serializes them with up to seven fractional digits.
 * The emulator does the same for history timestamps: episodes that start within the same
 * millisecond (a virtual clock that does not move) still get strictly increasing
 * `OrchestratorStarted` timestamps, while JavaScript, which reads them at millisecond precision,
 * sees exactly the clock's time (no drift that would make a 24-hour timer fire late).
 */

import { memoizeText } from '../text/text-memo';

const TICKS_PER_MS = 10_000;

/** A point in time at tick precision: whole milliseconds plus 0..9999 ticks. */
export interface TickTime {
  ms: number;
  ticks: number;
}

/**
 * Formats a time as Newtonsoft serializes a `DateTime` (`yyyy-MM-ddTHH:mm:ss.FFFFFFFZ`: up to seven
 * fractional digits, trailing zeros and a bare dot dropped), e.g. `2026-01-01T00:00:00.0000001Z`.
 */
export function formatTicks(time: TickTime): string {
  const iso = new Date(time.ms).toISOString(); // 2026-01-01T00:00:00.000Z
  const fraction = `${iso.slice(20, 23)}${String(time.ticks).padStart(4, '0')}`.replace(/0+$/, '');
  return `${iso.slice(0, 19)}${fraction === '' ? '' : `.${fraction}`}Z`;
}

/** Parses an ISO timestamp (any number of fractional digits) to tick precision. */
export function parseTicks(iso: string): TickTime {
  const ms = Date.parse(iso);
  const fraction = /\.(\d+)Z$/i.exec(iso)?.[1] ?? '';
  const ticks = Number(fraction.padEnd(7, '0').slice(3, 7));
  return { ms, ticks: Number.isFinite(ticks) ? ticks : 0 };
}

/** Compares two tick times: negative when `a` is earlier. */
export function compareTicks(a: TickTime, b: TickTime): number {
  return a.ms !== b.ms ? a.ms - b.ms : a.ticks - b.ticks;
}

/**
 * The timestamp of the next history event of an instance: the clock's time, or one tick after
 * `last` when the clock has not moved past it, so timestamps per instance strictly increase.
 */
export function nextTimestamp(now: Date, last: string | undefined): string {
  const candidate: TickTime = { ms: now.getTime(), ticks: 0 };
  if (last === undefined) return formatTicks(candidate);
  const previous = parseTicks(last);
  if (compareTicks(candidate, previous) > 0) return formatTicks(candidate);
  const ticks = previous.ticks + 1;
  return formatTicks(ticks >= TICKS_PER_MS ? { ms: previous.ms + 1, ticks: 0 } : { ms: previous.ms, ticks });
}

/** Adds milliseconds to a timestamp, keeping its ticks. */
export function addMs(iso: string, ms: number): string {
  const time = parseTicks(iso);
  return formatTicks({ ms: time.ms + ms, ticks: time.ticks });
}

/** The management API's time format: `DateTime.ToString("s") + "Z"`, no fraction. */
export function statusTime(iso: string): string {
  return `${new Date(Date.parse(iso)).toISOString().slice(0, 19)}Z`;
}

/** A .NET `TimeSpan` string (`d.hh:mm:ss`), as the extension sends timer settings. */
export function timeSpanString(ms: number): string {
  const totalSeconds = Math.floor(ms / 1000);
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${days}.${two(hours)}:${two(minutes)}:${two(seconds)}`;
}

/** `a - b` in milliseconds, with tick precision (fractional). */
export function diffMs(a: string, b: string): number {
  const x = parseTicks(a);
  const y = parseTicks(b);
  return x.ms - y.ms + (x.ticks - y.ticks) / TICKS_PER_MS;
}

/**
 * Normalizes any ISO timestamp to DTFx's form. Remembered: each episode's replay normalizes every
 * `OrchestratorStarted` timestamp of the history again.
 */
export const toTicksIso: (iso: string) => string = memoizeText((iso) => formatTicks(parseTicks(iso)), {
  maxEntries: 4096,
  maxLength: 64,
});
