import type { TableClient } from '@azure/data-tables';
import { assertValidPartitionKey } from './row-keys';
import type { StorageSettings } from './storage-settings';
import { createClients } from './table-run-store';

/**
 * The claim of a chosen run id: which run instance (its nonce) is being started, or was started,
 * under the id. One row per id, inserted before the instance is started.
 */
export interface RunClaim {
  nonce: string;
  /** `starting` until the instance was started, then `started`. */
  state: 'starting' | 'started';
  /** When it was claimed (ms since 1970, the claiming host's clock). */
  claimedAt: number;
  /** The row's version: a take-over replaces the claim only if nobody changed it since it was read. */
  etag: string;
}

/** A claim as a listing found it, with the run id it holds. */
export interface ListedClaim extends RunClaim {
  runId: string;
}

/** The claims of chosen run ids, atomic on every instance of the app (see {@link claimRunId}). */
export interface RunClaims {
  /** Claims `runId` for the instance `nonce`: undefined when this claim was made, else the claim that holds it. */
  insert(runId: string, nonce: string, now: number): Promise<RunClaim | undefined>;
  /** Replaces `held` with a claim for `nonce` if it is unchanged since it was read; false when it changed. */
  takeOver(runId: string, held: RunClaim, nonce: string, now: number): Promise<boolean>;
  /** Marks the claim of `nonce` started; a claim taken over meanwhile is left alone. */
  markStarted(runId: string, nonce: string): Promise<void>;
  /** Removes the claim of `runId` if it is still the one of `nonce`; none stored is fine. */
  release(runId: string, nonce: string): Promise<void>;
  /** The claims made before `claimedBefore` (ms since 1970) and not written since, in no order. */
  listClaimedBefore(claimedBefore: number): Promise<ListedClaim[]>;
  /** Removes `listed` only if it is unchanged since it was listed (its ETag); false when it changed or is gone. */
  remove(listed: ListedClaim): Promise<boolean>;
}

/**
 * What {@link claimRunId} found: the id is this start's now; the id is taken (a run of it exists,
 * or another start won the claim); or a start of the id is under way without an instance yet, or
 * was cut short there: no run of the id exists, so the caller is told to retry after
 * `retryAfterMs` rather than that the run exists.
 */
export type RunIdClaim = { kind: 'claimed' } | { kind: 'taken' } | { kind: 'starting'; retryAfterMs: number };

/**
 * How long a claim whose instance never appeared blocks its id: a start that crashed between its
 * claim and `startNew` (or whose `startNew` failed without it being able to release the claim).
 * Far longer than a start takes (an insert, a status read and `startNew`, well under the HTTP
 * request's own time limits), so a start still under way is not taken over; short enough that a
 * client retrying the start of a host that crashed there waits seconds, not minutes.
 */
export const ABANDONED_CLAIM_MS = 30 * 1000;

/**
 * Claims a chosen run id for the instance `nonce` before it is started: `claimed` when this start
 * may go on and call `startNew`, `taken` when a run of the id exists or another start won (answer
 * 409), `starting` when another start holds the id but no instance exists yet (answer 503 with
 * Retry-After: a client retrying a start the host crashed in must not hear that its run exists).
 * `exists` says whether an instance of the id exists.
 *
 * Durable's own check (is there an instance of this id?) is not atomic with its start on the Azure
 * Storage backend: two starts that check together both start, and the engine drops the second
 * ExecutionStarted after both callers got a token. The claim row is the atomic part: inserting it
 * fails with a conflict for every start but one. The rules for a claim that is already there:
 *
 * - an instance of the id exists: the id is taken, whatever the claim says;
 * - no instance, claim `started`: its instance was purged (through the Durable management API,
 *   which the app never hears of; the retention sweep removes the claims of the runs it purges, and
 *   later those of ids without an instance),
 *   so the id is free again and the claim is taken over;
 * - no instance, claim `starting` for less than {@link ABANDONED_CLAIM_MS}: a start is under way
 *   (between its claim and its `startNew`), or crashed there: `starting`, retry later;
 * - no instance, claim `starting` for longer: the start that made it crashed; the claim is taken
 *   over.
 *
 * A take-over replaces the claim only if it is unchanged since it was read (its ETag), so of two
 * starts taking over the same claim one wins. A claim this start made where an instance already
 * exists (a run started before claims existed, or not through the API) is removed again.
 */
export async function claimRunId(
  claims: RunClaims,
  exists: () => Promise<boolean>,
  runId: string,
  nonce: string,
  now: number,
): Promise<RunIdClaim> {
  const held = await claims.insert(runId, nonce, now);
  if (held === undefined) {
    if (!(await exists())) return { kind: 'claimed' };
    await claims.release(runId, nonce);
    return { kind: 'taken' };
  }
  if (await exists()) return { kind: 'taken' };
  const age = now - held.claimedAt;
  if (held.state === 'starting' && age < ABANDONED_CLAIM_MS)
    return { kind: 'starting', retryAfterMs: ABANDONED_CLAIM_MS - age };
  return (await claims.takeOver(runId, held, nonce, now)) ? { kind: 'claimed' } : { kind: 'taken' };
}

const CLAIM_ROW = 'claim';

function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null
    ? (error as { statusCode?: number }).statusCode
    : undefined;
}

/** Run id claims in a table of the run store's account (`<prefix>RunClaims`), created on first use. */
export class TableRunClaims implements RunClaims {
  readonly #settings: StorageSettings;
  #table: Promise<TableClient> | undefined;

  constructor(settings: StorageSettings) {
    this.#settings = settings;
  }

  #client(): Promise<TableClient> {
    this.#table ??= (async () => {
      const { clients } = await createClients(this.#settings, [`${this.#settings.tablePrefix}RunClaims`]);
      const table = clients[0]!;
      try {
        await table.createTable();
      } catch (error) {
        if (statusOf(error) !== 409) throw error;
      }
      return table;
    })().catch((error: unknown) => {
      this.#table = undefined; // let the next call try again
      throw error;
    });
    return this.#table;
  }

  async #read(runId: string): Promise<RunClaim | undefined> {
    const table = await this.#client();
    try {
      const row = await table.getEntity<Record<string, unknown>>(assertValidPartitionKey(runId), CLAIM_ROW);
      return {
        nonce: String(row.nonce),
        state: row.state === 'started' ? 'started' : 'starting',
        claimedAt: Number(row.claimedAt),
        etag: row.etag,
      };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async insert(runId: string, nonce: string, now: number): Promise<RunClaim | undefined> {
    const table = await this.#client();
    const partitionKey = assertValidPartitionKey(runId);
    // A claim released between the conflict and the read: insert again (a few times at most).
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await table.createEntity({
          partitionKey,
          rowKey: CLAIM_ROW,
          nonce,
          state: 'starting',
          claimedAt: now,
        });
        return undefined;
      } catch (error) {
        if (statusOf(error) !== 409) throw error;
      }
      const held = await this.#read(runId);
      if (held) return held;
    }
    throw new Error(`The claim of run id '${runId}' keeps changing; try again.`);
  }

  async takeOver(runId: string, held: RunClaim, nonce: string, now: number): Promise<boolean> {
    const table = await this.#client();
    try {
      await table.updateEntity(
        {
          partitionKey: assertValidPartitionKey(runId),
          rowKey: CLAIM_ROW,
          nonce,
          state: 'starting',
          claimedAt: now,
        },
        'Replace',
        { etag: held.etag },
      );
      return true;
    } catch (error) {
      // 412: changed since it was read; 404: removed since (a purge): either way another start's turn.
      if (statusOf(error) === 412 || statusOf(error) === 404) return false;
      throw error;
    }
  }

  async markStarted(runId: string, nonce: string): Promise<void> {
    const held = await this.#read(runId);
    if (held?.nonce !== nonce) return;
    const table = await this.#client();
    try {
      await table.updateEntity(
        { partitionKey: assertValidPartitionKey(runId), rowKey: CLAIM_ROW, state: 'started' },
        'Merge',
        { etag: held.etag },
      );
    } catch (error) {
      if (statusOf(error) !== 412 && statusOf(error) !== 404) throw error;
    }
  }

  async listClaimedBefore(claimedBefore: number): Promise<ListedClaim[]> {
    const table = await this.#client();
    const { odata } = await import('@azure/data-tables');
    const listed: ListedClaim[] = [];
    // The service's write time narrows the query (an index the service keeps); the claim's own time,
    // the one `claimRunId` judges it by, decides.
    const rows = table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`Timestamp lt ${new Date(claimedBefore)}` },
    });
    for await (const row of rows) {
      const claimedAt = Number(row.claimedAt);
      if (row.rowKey !== CLAIM_ROW || !row.partitionKey || !(claimedAt < claimedBefore)) continue;
      listed.push({
        runId: row.partitionKey,
        nonce: String(row.nonce),
        state: row.state === 'started' ? 'started' : 'starting',
        claimedAt,
        etag: row.etag,
      });
    }
    return listed;
  }

  async remove(listed: ListedClaim): Promise<boolean> {
    const table = await this.#client();
    try {
      await table.deleteEntity(assertValidPartitionKey(listed.runId), CLAIM_ROW, { etag: listed.etag });
      return true;
    } catch (error) {
      if (statusOf(error) === 412 || statusOf(error) === 404) return false;
      throw error;
    }
  }

  async release(runId: string, nonce: string): Promise<void> {
    const held = await this.#read(runId);
    if (held?.nonce !== nonce) return;
    const table = await this.#client();
    try {
      await table.deleteEntity(assertValidPartitionKey(runId), CLAIM_ROW, { etag: held.etag });
    } catch (error) {
      if (statusOf(error) !== 412 && statusOf(error) !== 404) throw error;
    }
  }
}
