/**
 * Orchestration runtime statuses, with the names the management API and durable-functions use.
 */
import { z } from 'zod';

/** Every runtime status, in the extension's numeric order (Running = 0 ... Suspended = 7). */
export const RUNTIME_STATUSES = [
  'Running',
  'Completed',
  'ContinuedAsNew',
  'Failed',
  'Canceled',
  'Terminated',
  'Pending',
  'Suspended',
] as const;

/** A runtime status name. */
export type RuntimeStatus = (typeof RUNTIME_STATUSES)[number];

/** Schema of a runtime status name (exact case, as the extension parses them). */
export const RuntimeStatusSchema = z.enum(RUNTIME_STATUSES);

/** True for statuses an instance never leaves by itself: Completed, Failed, Terminated, Canceled. */
export function isTerminal(status: RuntimeStatus): boolean {
  return status === 'Completed' || status === 'Failed' || status === 'Terminated' || status === 'Canceled';
}

/**
 * True for statuses the extension treats as "running" when a start reuses an instance id
 * (`OverridableExistingInstanceStates = NonRunningStates`): Running, Pending, ContinuedAsNew, Suspended.
 */
export function isActive(status: RuntimeStatus): boolean {
  return !isTerminal(status);
}
