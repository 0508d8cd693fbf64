/**
 * The durable client's operations, shared by the in-process client and the HTTP management API.
 * Results are plain values the two front ends map to exceptions or status codes.
 */
import type { Clock, FunctionInvoker } from '../../contracts';
import { historyView } from '../status/history-view';
import { toInstanceStatus, type InstanceStatus } from '../status/instance-status';
import { isTerminal, type RuntimeStatus } from '../runtime-status';
import type { InstanceRecord, InstanceStore, StoredInstance } from '../store/instance-store';
import { nextTimestamp } from '../time/dotnet-time';
import { controlMessage, eventMessage, startMessage } from '../engine/inbox-messages';
import { findOrchestrator, unknownOrchestratorMessage } from '../engine/orchestrator-call';
import { instanceIdProblem, newInstanceId } from './instance-id';

/** What the operations need from the engine. */
export interface OperationsDeps {
  store: InstanceStore;
  invoker: FunctionInvoker;
  clock: Clock;
  requestEpisode(instanceId: string): void;
  changed(record: InstanceRecord): void;
  /** An instance was replaced or purged: drop caches and its recording. */
  forget(instanceId: string): void;
  background(work: Promise<void>): void;
  /** host.json `defaultVersion`: the version of an instance started without one. */
  defaultVersion?: string;
}

/** The outcome of a start. */
export type StartResult =
  | { ok: true; instanceId: string }
  | {
      ok: false;
      reason: 'unknown_orchestrator' | 'invalid_instance_id' | 'instance_exists';
      message: string;
    };

/** Starts (or restarts a finished) instance. `inputJson` is the input's JSON text or null. */
export async function startInstance(
  deps: OperationsDeps,
  request: { name: string; instanceId?: string; inputJson: string | null; version?: string },
): Promise<StartResult> {
  const orchestrator = findOrchestrator(deps.invoker, request.name);
  if (!orchestrator) {
    return {
      ok: false,
      reason: 'unknown_orchestrator',
      message: unknownOrchestratorMessage(request.name, deps.invoker),
    };
  }
  const instanceId =
    request.instanceId === undefined || request.instanceId === '' ? newInstanceId() : request.instanceId;
  const problem = instanceIdProblem(instanceId);
  if (problem !== undefined) return { ok: false, reason: 'invalid_instance_id', message: problem };

  const newRecord = (existing: StoredInstance | undefined): InstanceRecord => {
    const now = deps.clock.now();
    return {
      instanceId,
      name: request.name,
      version: request.version ?? deps.defaultVersion ?? null,
      executionId: newInstanceId(),
      generation: 0,
      runtimeStatus: 'Pending',
      input: request.inputJson,
      output: null,
      customStatus: null,
      createdTime: now.toISOString(),
      lastUpdatedTime: now.toISOString(),
      lastEventTime: nextTimestamp(now, existing?.record.lastEventTime),
      episodes: 0,
    };
  };
  // Most starts are of new ids: create first, and read the instance only when one is there.
  let existing: StoredInstance | undefined;
  let record = newRecord(undefined);
  let created = await deps.store.createInstance(record, startMessage(record, record.lastEventTime));
  if (created === undefined) {
    existing = await deps.store.getInstance(instanceId);
    if (existing && !isTerminal(existing.record.runtimeStatus)) {
      return {
        ok: false,
        reason: 'instance_exists',
        message: `An Orchestration instance with the status ${existing.record.runtimeStatus} already exists.`,
      };
    }
    record = newRecord(existing);
    created = await deps.store.createInstance(
      record,
      startMessage(record, record.lastEventTime),
      existing?.etag,
    );
  }
  if (created === undefined) {
    return {
      ok: false,
      reason: 'instance_exists',
      message: 'An Orchestration instance with the status Running already exists.',
    };
  }
  if (existing) {
    deps.forget(instanceId);
    deps.background(deps.store.deleteHistory(instanceId, existing.record.executionId));
  }
  deps.changed(record);
  deps.requestEpisode(instanceId);
  return { ok: true, instanceId };
}

/** Where a message to an instance went: accepted, instance finished (410), or no instance (404). */
export type DeliveryResult = 'accepted' | 'gone' | 'not_found';

/** A control operation the instance's state does not allow (the extension's InvalidOperationException). */
export interface RefusedControl {
  refused: string;
}

async function deliver(
  deps: OperationsDeps,
  instanceId: string,
  goneWhen: (status: RuntimeStatus) => boolean,
  message: () => ReturnType<typeof eventMessage>,
  refuse?: (status: RuntimeStatus) => string | undefined,
): Promise<DeliveryResult | RefusedControl> {
  const stored = await deps.store.getInstance(instanceId);
  if (!stored) return 'not_found';
  const status = stored.record.runtimeStatus;
  if (goneWhen(status)) return 'gone';
  const refused = refuse?.(status);
  if (refused !== undefined) return { refused };
  await deps.store.addMessage(instanceId, message());
  deps.requestEpisode(instanceId);
  return 'accepted';
}

/** Raises an external event; `inputJson` is the event data's JSON text or null. */
export async function raiseEvent(
  deps: OperationsDeps,
  instanceId: string,
  eventName: string,
  inputJson: string | null,
): Promise<DeliveryResult> {
  const result = await deliver(deps, instanceId, isTerminal, () =>
    eventMessage(nextTimestamp(deps.clock.now(), undefined), eventName, inputJson),
  );
  return typeof result === 'string' ? result : 'accepted';
}

/**
 * Why the extension's client refuses to suspend or resume an instance in this state, or
 * undefined: only a running (or pending) instance can be suspended and only a suspended one resumed.
 */
function controlRefusal(
  kind: 'terminate' | 'suspend' | 'resume',
  instanceId: string,
  status: RuntimeStatus,
): string | undefined {
  const allowed =
    kind === 'terminate' ||
    (kind === 'suspend' && (status === 'Running' || status === 'Pending')) ||
    (kind === 'resume' && status === 'Suspended');
  return allowed
    ? undefined
    : `Cannot ${kind} the orchestration instance ${instanceId} because instance is in the ${status} state.`;
}

/**
 * Terminates, suspends or resumes an instance. Suspending an instance that is not running or
 * resuming one that is not suspended is refused, as the extension's client refuses it.
 */
export function controlInstance(
  deps: OperationsDeps,
  kind: 'terminate' | 'suspend' | 'resume',
  instanceId: string,
  reason: string | null,
): Promise<DeliveryResult | RefusedControl> {
  return deliver(
    deps,
    instanceId,
    isTerminal,
    () => controlMessage(kind, nextTimestamp(deps.clock.now(), undefined), reason),
    (status) => controlRefusal(kind, instanceId, status),
  );
}

/** Options of {@link readStatus}. */
export interface StatusOptions {
  showHistory?: boolean;
  showHistoryOutput?: boolean;
  showInput?: boolean;
}

/** The status of one instance, or undefined if there is none. */
export async function readStatus(
  deps: OperationsDeps,
  instanceId: string,
  options: StatusOptions = {},
): Promise<InstanceStatus | undefined> {
  const stored = await deps.store.getInstance(instanceId);
  if (!stored) return undefined;
  const { record } = stored;
  const showInput = options.showInput ?? true;
  if (!options.showHistory || record.runtimeStatus === 'Pending')
    return toInstanceStatus(record, { showInput });
  const history = await deps.store.readHistory(instanceId, record.executionId);
  const historyEvents = historyView(history, {
    showInput,
    showHistoryOutput: options.showHistoryOutput ?? false,
  });
  return toInstanceStatus(record, { showInput, historyEvents });
}

/** Filters of a status query or a purge. */
export interface InstanceFilter {
  runtimeStatus?: readonly RuntimeStatus[];
  instanceIdPrefix?: string;
  createdTimeFrom?: Date;
  createdTimeTo?: Date;
}

/** Records matching a filter, ordered by creation time then id. */
export async function findInstances(
  deps: OperationsDeps,
  filter: InstanceFilter = {},
): Promise<InstanceRecord[]> {
  const records = await deps.store.listInstances();
  return records
    .filter((r) => {
      if (
        filter.runtimeStatus &&
        filter.runtimeStatus.length > 0 &&
        !filter.runtimeStatus.includes(r.runtimeStatus)
      ) {
        return false;
      }
      if (filter.instanceIdPrefix !== undefined && !r.instanceId.startsWith(filter.instanceIdPrefix))
        return false;
      const created = Date.parse(r.createdTime);
      if (filter.createdTimeFrom && created < filter.createdTimeFrom.getTime()) return false;
      if (filter.createdTimeTo && created > filter.createdTimeTo.getTime()) return false;
      return true;
    })
    .sort((a, b) => a.createdTime.localeCompare(b.createdTime) || a.instanceId.localeCompare(b.instanceId));
}

/** Deletes an instance and its history; false when it did not exist. */
export async function purgeInstance(deps: OperationsDeps, instanceId: string): Promise<boolean> {
  const purged = await deps.store.purgeInstance(instanceId);
  deps.forget(instanceId);
  return purged;
}

/** The outcome of a purge by id as the extension's HTTP API (3.x) decides it. */
export type PurgeResult = 'purged' | 'not_found' | RefusedControl;

/**
 * Purges one finished instance. As the extension's purge API does since 3.x, an instance that is
 * still running, pending or suspended is refused (the storage provider alone would delete it).
 */
export async function purgeFinishedInstance(deps: OperationsDeps, instanceId: string): Promise<PurgeResult> {
  const stored = await deps.store.getInstance(instanceId);
  if (!stored) return 'not_found';
  const status = stored.record.runtimeStatus;
  if (!isTerminal(status)) {
    return {
      refused: `Only orchestrations in a terminal state can be purged, but the orchestration with instance ID ${instanceId} has status ${status}`,
    };
  }
  return (await purgeInstance(deps, instanceId)) ? 'purged' : 'not_found';
}
