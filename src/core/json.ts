/**
 * JSON values and their canonical text.
 *
 * The canonical form (object keys sorted, `undefined` members left out) makes a hash of a
 * definition independent of the order in which its parts were written.
 */

/** A value that survives `JSON.stringify`/`JSON.parse` unchanged. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * The canonical JSON text of `value`: like `JSON.stringify`, but object keys are sorted and members
 * whose value is `undefined` are left out, so equal data always gives equal text.
 *
 * @example
 * canonicalJson({ b: 1, a: [true, null] }); // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    // JSON has no NaN or Infinity; refusing them keeps two different definitions from hashing alike.
    if (!Number.isFinite(value)) throw new TypeError(`Cannot canonicalize the number ${String(value)}.`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item: unknown) => canonicalJson(item)).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${members.join(',')}}`;
  }
  throw new TypeError(`Cannot canonicalize a value of type ${typeof value}.`);
}
