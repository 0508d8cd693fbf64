/**
 * The first place two JSON values differ, as a path like `actions[0][2].functionName`.
 */

/** Where two values differ. */
export interface Difference {
  path: string;
  left: unknown;
  right: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Compares JSON values (as JSON round-trips them: `undefined` members are absent). */
export function firstDifference(left: unknown, right: unknown, path = ''): Difference | undefined {
  if (Array.isArray(left) && Array.isArray(right)) {
    const length = Math.max(left.length, right.length);
    for (let i = 0; i < length; i++) {
      const found = firstDifference(left[i], right[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (isRecord(left) && isRecord(right)) {
    const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
    for (const key of keys) {
      if (left[key] === undefined && right[key] === undefined) continue;
      const found = firstDifference(left[key], right[key], path === '' ? key : `${path}.${key}`);
      if (found) return found;
    }
    return undefined;
  }
  return Object.is(left, right) ? undefined : { path: path === '' ? '(value)' : path, left, right };
}
