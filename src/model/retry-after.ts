/**
 * How long a server asked us to wait, from its response headers.
 *
 * `retry-after-ms` (OpenAI, Azure OpenAI) wins over `retry-after`, which is either a number of
 * seconds or an HTTP date (RFC 9110 §10.2.3).
 */

/** Response headers as the `openai` SDK exposes them (a Fetch `Headers`). */
export interface HeaderReader {
  get(name: string): string | null;
}

/**
 * The wait a server asked for, in whole milliseconds, or `undefined` when it did not ask (or the
 * header is malformed). A date in the past means "now": 0.
 *
 * @param headers - the response headers.
 * @param nowMs - the current time in epoch milliseconds, for HTTP-date values.
 */
export function retryAfterMs(
  headers: HeaderReader | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  if (headers === undefined) return undefined;
  const milliseconds = parseNonNegative(headers.get('retry-after-ms'));
  if (milliseconds !== undefined) return Math.ceil(milliseconds);

  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter === undefined || retryAfter === '') return undefined;
  const seconds = parseNonNegative(retryAfter);
  if (seconds !== undefined) return Math.ceil(seconds * 1000);
  const date = Date.parse(retryAfter);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

function parseNonNegative(value: string | null): number | undefined {
  if (value === null || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}
