/** Row keys sort as strings, so positions are zero-padded to 10 digits (enough for any run). */
export function positionKey(position: number): string {
  if (!Number.isInteger(position) || position < 0 || position > 9_999_999_999) {
    throw new RangeError(`Position ${position} is not an integer between 0 and 9999999999.`);
  }
  return position.toString().padStart(10, '0');
}

/** Table keys may not contain '/', '\\', '#', '?' or control characters; run ids are validated upstream, this guards. */
export function assertValidPartitionKey(key: string): string {
  // eslint-disable-next-line no-control-regex
  if (key.length === 0 || key.length > 512 || /[/\\#?\u0000-\u001f\u007f-\u009f]/.test(key)) {
    throw new RangeError(`'${key.slice(0, 40)}' cannot be used as a storage key.`);
  }
  return key;
}

/**
 * The row key of transcript message `index` in a run's partition of the events table. '!msg-'
 * sorts before '!turn-' (turn slots and steps) and before every event row (digits), so neither the
 * event queries nor a turn's range query return messages.
 */
export function messageKey(index: number): string {
  return `!msg-${positionKey(index)}`;
}
