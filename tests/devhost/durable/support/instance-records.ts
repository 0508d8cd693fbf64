/**
 * The instance rows the store suites write: a started instance's record and an inbox message, as
 * the engine makes them, with the fields a case needs changed.
 */
import { eventRaised } from '../../../../devhost/durable/history/event-builders';
import type { InboxMessage, InstanceRecord } from '../../../../devhost/durable/store/instance-store';

/** A `Pending` record of orchestrator `orch` (execution `exec1`, input `"in"`), with `changes` applied. */
export function instanceRecord(instanceId: string, changes: Partial<InstanceRecord> = {}): InstanceRecord {
  return {
    instanceId,
    name: 'orch',
    version: null,
    executionId: 'exec1',
    generation: 0,
    runtimeStatus: 'Pending',
    input: '"in"',
    output: null,
    customStatus: null,
    createdTime: '2026-01-01T00:00:00.000Z',
    lastUpdatedTime: '2026-01-01T00:00:00.000Z',
    lastEventTime: '2026-01-01T00:00:00Z',
    episodes: 0,
    ...changes,
  };
}

/** An inbox message `id` at `seq`: a raised `ping` event carrying `data`. */
export function inboxMessage(id: string, seq: string, data: string | null = '"d"'): InboxMessage {
  return { id, seq, event: eventRaised('2026-01-01T00:00:00Z', 'ping', data) };
}
