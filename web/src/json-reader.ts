/**
 * Reads the fields the page uses out of JSON from the server, checking each one, so a changed API
 * fails with a message naming the field instead of rendering `undefined`. (The page is plain
 * browser modules without a bundler, so it cannot load zod.)
 */

/** The server sent something the page cannot read. */
export class UnexpectedResponseError extends Error {
  constructor(what: string, problem: string) {
    super(`The server sent an unexpected ${what}: ${problem}.`);
    this.name = 'UnexpectedResponseError';
  }
}

/** A JSON object whose fields are read with the functions below. */
export interface JsonFields {
  readonly what: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** `value` as an object, or an error naming `what` was expected. */
export function objectOf(value: unknown, what: string): JsonFields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UnexpectedResponseError(what, 'it is not a JSON object');
  }
  return { what, fields: value as Record<string, unknown> };
}

/** The string field `key`. */
export function stringField(json: JsonFields, key: string): string {
  const value = json.fields[key];
  if (typeof value !== 'string') throw new UnexpectedResponseError(json.what, `'${key}' is not a string`);
  return value;
}

/** The string field `key`, or undefined when it is absent or null. */
export function optionalStringField(json: JsonFields, key: string): string | undefined {
  const value = json.fields[key];
  return value === undefined || value === null ? undefined : stringField(json, key);
}

/** The integer field `key`. */
export function integerField(json: JsonFields, key: string): number {
  const value = json.fields[key];
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new UnexpectedResponseError(json.what, `'${key}' is not an integer`);
  }
  return value;
}

/** The field `key` as one of `allowed`. */
export function enumField<T extends string>(json: JsonFields, key: string, allowed: readonly T[]): T {
  const value = stringField(json, key);
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UnexpectedResponseError(json.what, `'${key}' is '${value}', not one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/** The array field `key`. */
export function arrayField(json: JsonFields, key: string): unknown[] {
  const value = json.fields[key];
  if (!Array.isArray(value)) throw new UnexpectedResponseError(json.what, `'${key}' is not an array`);
  return value;
}
