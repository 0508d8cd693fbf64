/**
 * The status of an instance as the management API returns it (the extension's
 * `StatusResponsePayload`), which durable-functions turns into a `DurableOrchestrationStatus`.
 */
import type { RuntimeStatus } from '../runtime-status';
import type { InstanceRecord } from '../store/instance-store';
import { statusTime } from '../time/dotnet-time';

/** An instance's status. `input` and `output` are always present (null when absent). */
export interface InstanceStatus {
  name: string;
  instanceId: string;
  runtimeStatus: RuntimeStatus;
  input: unknown;
  customStatus: unknown;
  output: unknown;
  /** `yyyy-MM-ddTHH:mm:ssZ` */
  createdTime: string;
  lastUpdatedTime: string;
  /** Only when history was asked for (and the instance is not Pending). */
  historyEvents?: unknown[];
}

/**
 * The extension's `ParseToJToken`: JSON text becomes its value; text that is not JSON (a
 * terminate reason, a failure message) stays a string; null stays null.
 */
export function parseToJToken(value: string | null): unknown {
  if (value === null) return null;
  const trimmed = value.trim();
  if (trimmed.length === 0) return '';
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return trimmed;
  }
}

/** Maps a stored record to its status payload. */
export function toInstanceStatus(
  record: InstanceRecord,
  options: { showInput?: boolean; historyEvents?: unknown[] } = {},
): InstanceStatus {
  return {
    name: record.name,
    instanceId: record.instanceId,
    runtimeStatus: record.runtimeStatus,
    input: options.showInput === false ? null : parseToJToken(record.input),
    customStatus: parseToJToken(record.customStatus),
    output: parseToJToken(record.output),
    createdTime: statusTime(record.createdTime),
    lastUpdatedTime: statusTime(record.lastUpdatedTime),
    ...(options.historyEvents === undefined ? {} : { historyEvents: options.historyEvents }),
  };
}
