/**
 * JSON payloads stored in table entities. A string property holds at most 64 KiB (32 K UTF-16 code
 * units) and an entity at most 1 MiB, so a payload is split over properties `p0`, `p1`, ... of at
 * most {@link CHUNK} code units each.
 */

const CHUNK = 30_000;
const MAX_CHUNKS = 15;

/** The largest payload (in UTF-16 code units) an entity can hold with this encoding. */
export const MAX_PAYLOAD_LENGTH = CHUNK * MAX_CHUNKS;

/** Raised when a payload is too large for one entity. */
export class PayloadTooLargeError extends Error {
  constructor(what: string, length: number) {
    super(
      `${what} is ${length} characters of JSON; the run store holds at most ${MAX_PAYLOAD_LENGTH} per item. ` +
        'Shorten the message (or the agent instructions that produce it).',
    );
    this.name = 'PayloadTooLargeError';
  }
}

/**
 * `value`'s JSON as it is stored. U+2028/U+2029 only occur inside JSON strings, where their escapes
 * mean the same; Azurite fails entity-group transactions that carry them raw.
 */
export function storedJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/** Splits `value`'s JSON into chunk properties. */
export function encodePayload(what: string, value: unknown): Record<string, string | number> {
  return encodeStoredJson(what, storedJson(value));
}

/** Splits JSON made by {@link storedJson} (or joined from such) into chunk properties. */
export function encodeStoredJson(what: string, json: string): Record<string, string | number> {
  if (json.length > MAX_PAYLOAD_LENGTH) throw new PayloadTooLargeError(what, json.length);
  const properties: Record<string, string | number> = {};
  let count = 0;
  for (let offset = 0; offset < json.length || count === 0; offset += CHUNK) {
    properties[`p${count}`] = json.slice(offset, offset + CHUNK);
    count += 1;
  }
  properties.chunks = count;
  return properties;
}

/** Joins chunk properties back and parses the JSON. */
export function decodePayload(entity: Record<string, unknown>): unknown {
  const count = typeof entity.chunks === 'number' ? entity.chunks : 1;
  let json = '';
  for (let i = 0; i < count; i += 1) {
    const part = entity[`p${i}`];
    if (typeof part !== 'string') throw new Error(`Stored payload is missing chunk p${i} of ${count}.`);
    json += part;
  }
  return JSON.parse(json) as unknown;
}
