/**
 * Instance id rules of `DurableClient.StartNewAsync` (ids become Table partition keys).
 */
import { randomUUID } from 'node:crypto';

/** The longest instance id the extension accepts. */
export const MAX_INSTANCE_ID_LENGTH = 256;

/** A new id like the extension's `Guid.NewGuid().ToString("N")`: 32 lower-case hex digits. */
export function newInstanceId(): string {
  return randomUUID().replace(/-/g, '');
}

// eslint-disable-next-line no-control-regex
const INVALID_CHARACTER = /[/\\?#\u0000-\u001f\u007f-\u009f]/;

/**
 * Why `instanceId` is not acceptable, in the extension's words (its ArgumentException messages,
 * with .NET's " (Parameter '...')" suffix), or undefined when it is fine.
 */
export function instanceIdProblem(instanceId: string): string | undefined {
  if (instanceId.startsWith('@')) {
    return "instanceId (Parameter 'Orchestration instance ids must not start with @.')";
  }
  if (INVALID_CHARACTER.test(instanceId)) {
    return "instanceId (Parameter 'Orchestration instance ids must not contain /, \\, #, ?, or control characters.')";
  }
  if (instanceId.length > MAX_INSTANCE_ID_LENGTH) {
    return `Instance ID lengths must not exceed ${MAX_INSTANCE_ID_LENGTH} characters.`;
  }
  return undefined;
}
