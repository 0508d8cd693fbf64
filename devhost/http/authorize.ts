import { timingSafeEqual } from 'node:crypto';
import type { HostKeys } from './host-keys';
import type { AuthLevel } from './route-table';

/** The key a request presents: the `x-functions-key` header, else the `code` query parameter. */
export function presentedKey(headers: Readonly<Record<string, string>>, url: URL): string | undefined {
  return headers['x-functions-key'] || url.searchParams.get('code') || undefined;
}

function sameKey(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Decides a request as the Functions host does: `anonymous` is open (any key or none), `function`
 * accepts the function key or the master key, `admin` (and `system`) only the master key.
 */
export function isAuthorized(level: AuthLevel, presented: string | undefined, keys: HostKeys): boolean {
  if (level === 'anonymous') return true;
  if (presented === undefined) return false;
  if (sameKey(presented, keys.masterKey)) return true;
  return level === 'function' && sameKey(presented, keys.functionKey);
}
