/**
 * Query parameter parsing with .NET's lenient rules (`bool.TryParse`, `DateTime.TryParse`,
 * `Enum.TryParse`): values that do not parse are treated as absent.
 */
import { RUNTIME_STATUSES, type RuntimeStatus } from '../runtime-status';

/** `bool.TryParse`: "true"/"false" in any case, else undefined. */
export function boolParam(params: URLSearchParams, name: string): boolean | undefined {
  const value = params.get(name)?.trim().toLowerCase();
  return value === 'true' ? true : value === 'false' ? false : undefined;
}

/** A date, else undefined. */
export function dateParam(params: URLSearchParams, name: string): Date | undefined {
  const value = params.get(name);
  if (value === null) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time);
}

/** A positive integer, else undefined. */
export function intParam(params: URLSearchParams, name: string): number | undefined {
  const value = params.get(name);
  if (value === null || !/^\s*[+-]?\d+\s*$/.test(value)) return undefined;
  return Number.parseInt(value, 10);
}

/** `runtimeStatus=A,B` (repeatable): names in exact case or their numbers; unknown values skipped. */
export function statusesParam(params: URLSearchParams, name: string): RuntimeStatus[] | undefined {
  const statuses: RuntimeStatus[] = [];
  for (const value of params.getAll(name).flatMap((v) => v.split(','))) {
    const trimmed = value.trim();
    const byName = RUNTIME_STATUSES.find((s) => s === trimmed);
    const byNumber = /^\d+$/.test(trimmed) ? RUNTIME_STATUSES[Number(trimmed)] : undefined;
    const status = byName ?? byNumber;
    if (status !== undefined) statuses.push(status);
  }
  return statuses.length > 0 ? statuses : undefined;
}
