import { HANDOFF_ORCHESTRATOR } from '../names';
import { ABANDONED_CLAIM_MS, type RunClaims } from '../store/run-claims';
import type { RunStore } from '../store/run-store';
import { OrchestrationInputSchema } from '../wire/orchestration-input';
import { runStoreKey } from '../wire/run-instance';
import { RunStatusSchema } from '../wire/run-status';

/** A finished orchestration instance, as a Durable instance query lists it. */
export interface FinishedInstance {
  instanceId: string;
  name: string;
  /** When it last changed: when it ended (ISO 8601). */
  lastUpdatedTime: string;
  customStatus: unknown;
  input: unknown;
}

/** The Durable client operations purging takes. */
export interface PurgeClient {
  /** Completed, failed and terminated instances created before `createdBefore` (with their inputs). */
  listFinished(createdBefore: Date): Promise<FinishedInstance[]>;
  /** Deletes an instance's history and state. */
  purge(instanceId: string): Promise<void>;
  /** An instance's custom status and input, or undefined when there is no such instance. */
  status(instanceId: string): Promise<{ customStatus: unknown; input: unknown } | undefined>;
}

/** An instance's nonce: from its custom status, or its input before the first step. */
function nonceOf(instance: Pick<FinishedInstance, 'customStatus' | 'input'>): string | undefined {
  const status = RunStatusSchema.safeParse(instance.customStatus);
  return status.success
    ? status.data.nonce
    : (OrchestrationInputSchema.safeParse(instance.input).data?.nonce ?? undefined);
}

/** The run store key of an instance (see {@link nonceOf}). */
export function storeKeyOf(
  instance: Pick<FinishedInstance, 'instanceId' | 'customStatus' | 'input'>,
): string {
  return runStoreKey({ runId: instance.instanceId, nonce: nonceOf(instance) });
}

/**
 * Purges one finished run: first its run store data (events, messages, replies), then its Durable
 * instance, then the claim of its id (when it was chosen, see `claimRunId`), so the id can be used
 * again. In that order, so a purge cut short leaves an instance the next sweep finds again,
 * never run store data without an instance to lead to it (a claim left behind is taken over by the
 * next start of the id: it has no instance). Purging the instance revokes the run's tokens: they
 * name an instance that no longer exists.
 */
export async function purgeRun(
  client: PurgeClient,
  store: RunStore,
  instance: FinishedInstance,
  claims?: RunClaims,
): Promise<number> {
  const rows = await store.deleteRun(storeKeyOf(instance));
  await client.purge(instance.instanceId);
  const nonce = nonceOf(instance);
  if (claims && nonce !== undefined) await claims.release(instance.instanceId, nonce);
  return rows;
}

/** What a sweep did. */
export interface SweepResult {
  runs: number;
  /** Run store partitions deleted because no instance leads to them any more. */
  orphans: number;
  /** Claims of chosen run ids removed because no instance of the id exists any more. */
  orphanClaims: number;
  rows: number;
  failures: string[];
}

/**
 * Purges every handoff run that ended at least `retentionMs` before `now`, its run store data
 * included, then deletes run store data older than that which no instance leads to any more.
 * Other orchestrations of the task hub are left alone. A run that fails to purge is reported and
 * tried again by the next sweep.
 */
export async function purgeExpiredRuns(deps: {
  client: PurgeClient;
  store: RunStore;
  /**
   * The claims of chosen run ids; the claim of each purged run is removed, and so are claims older
   * than the retention whose id has no instance (see {@link deleteOrphanClaims}).
   */
  claims?: RunClaims;
  retentionMs: number;
  now: Date;
}): Promise<SweepResult> {
  const cutoff = deps.now.getTime() - deps.retentionMs;
  // A run ends after it starts, so every run that ended before the cutoff was created before it.
  const finished = await deps.client.listFinished(new Date(cutoff));
  const result: SweepResult = { runs: 0, orphans: 0, orphanClaims: 0, rows: 0, failures: [] };
  for (const instance of finished) {
    if (instance.name !== HANDOFF_ORCHESTRATOR) continue;
    const ended = Date.parse(instance.lastUpdatedTime);
    if (!(ended <= cutoff)) continue;
    try {
      result.rows += await purgeRun(deps.client, deps.store, instance, deps.claims);
      result.runs += 1;
    } catch (error) {
      result.failures.push(`${instance.instanceId}: ${(error as Error).message}`);
    }
  }
  await deleteOrphans(deps.client, deps.store, new Date(cutoff), result);
  if (deps.claims) await deleteOrphanClaims(deps.client, deps.claims, cutoff, deps.now.getTime(), result);
  return result;
}

/**
 * Deletes run store data older than the cutoff that no instance leads to any more: the data of runs
 * purged through the Durable management API (which the app never hears of), or of an earlier run
 * of an id now used again. Data whose instance still exists (a run waiting for days, or one the
 * next sweep purges) is left alone.
 */
async function deleteOrphans(
  client: PurgeClient,
  store: RunStore,
  cutoff: Date,
  result: SweepResult,
): Promise<void> {
  for (const key of await store.staleRunKeys(cutoff)) {
    const runId = key.split('.')[0] ?? key;
    try {
      const instance = await client.status(runId);
      if (instance && storeKeyOf({ instanceId: runId, ...instance }) === key) continue;
      result.rows += await store.deleteRun(key);
      result.orphans += 1;
    } catch (error) {
      result.failures.push(`${key}: ${(error as Error).message}`);
    }
  }
}

/**
 * Removes the claims of chosen run ids made before the cutoff whose id has no instance any more:
 * those of runs purged through the Durable management API (which the app never hears of), and of
 * starts that crashed before `startNew`. A claim left behind does no harm to a start (it is taken
 * over), but would stay in the table for good. Never a claim younger than
 * {@link ABANDONED_CLAIM_MS}, whatever the retention (a `starting` one may be a start under way),
 * and only a claim unchanged since it was listed: one a start took over or marked started
 * meanwhile is kept.
 */
async function deleteOrphanClaims(
  client: PurgeClient,
  claims: RunClaims,
  cutoff: number,
  now: number,
  result: SweepResult,
): Promise<void> {
  let listed;
  try {
    listed = await claims.listClaimedBefore(Math.min(cutoff, now - ABANDONED_CLAIM_MS));
  } catch (error) {
    result.failures.push(`(the claims of chosen run ids): ${(error as Error).message}`);
    return;
  }
  for (const claim of listed) {
    try {
      if (await client.status(claim.runId)) continue;
      if (await claims.remove(claim)) result.orphanClaims += 1;
    } catch (error) {
      result.failures.push(`${claim.runId} (its id's claim): ${(error as Error).message}`);
    }
  }
}
