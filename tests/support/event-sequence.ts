/** Views of a run's event log that tests compare against expectations. */
import type { WorkflowEvent } from '../../src/core/events';

/** The executor events and the closing events, as `type:executorId` labels. */
export function executorSequence(events: readonly WorkflowEvent[]): string[] {
  return events
    .filter((e) => ['started', 'executor_invoked', 'executor_completed', 'status', 'output'].includes(e.type))
    .map((e) => ('executorId' in e ? `${e.type}:${e.executorId}` : e.type));
}

/**
 * The executor sequence of the article's run, from `started` to `output`, as the durable
 * orchestration issue's acceptance states it.
 */
export const ARTICLE_SEQUENCE = [
  'started',
  'executor_invoked:input-conversation',
  'executor_completed:input-conversation',
  'executor_invoked:coordinator_agent',
  'executor_completed:coordinator_agent',
  'executor_invoked:handoff-coordinator',
  'executor_completed:handoff-coordinator',
  'executor_invoked:shipping_agent',
  'executor_completed:shipping_agent',
  'executor_invoked:handoff-coordinator',
  'executor_completed:handoff-coordinator',
  'status',
  'output',
];

/** `[1, 2, ..., n]`: the seqs of a complete, duplicate-free event log of n events. */
export function oneTo(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}
