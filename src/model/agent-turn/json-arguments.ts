import type { JsonValue } from '../../core/json';

/**
 * A call's validated arguments as JSON, for events and approval requests: what a JSON round trip
 * keeps of them (a schema that transforms to a Date shows its ISO text, say).
 */
export function jsonArguments(args: unknown): JsonValue {
  const text = JSON.stringify(args);
  return text === undefined ? null : (JSON.parse(text) as JsonValue);
}
