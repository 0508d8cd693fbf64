/**
 * The retention sweep removes the claims of chosen run ids whose instance is gone (a run purged
 * through the Durable management API, a start that crashed before `startNew`), against Azurite,
 * and never a claim a start may still need.
 */
import { TableClient } from '@azure/data-tables';
import { useInMemoryAzurite } from '../../support/in-memory-azurite';
import { purgeExpiredRuns, type PurgeClient } from '../../../src/durable/retention/purge-runs';
import { ABANDONED_CLAIM_MS, TableRunClaims } from '../../../src/durable/store/run-claims';
import { TableRunStore } from '../../../src/durable/store/table-run-store';

const DAY_MS = 24 * 60 * 60 * 1000;
const RETENTION_MS = 30 * DAY_MS;
const nonce = (n: number) => `nonce-${String(n).padStart(16, '0')}`;

describe('the retention sweep and the claims of chosen run ids (against Azurite)', () => {
  const azurite = useInMemoryAzurite('orphan-claims');
  let claims: TableRunClaims;
  let store: TableRunStore;
  let table: TableClient;
  /** The ids that have a Durable instance, as the sweep's status read answers. */
  const instances = new Set<string>();
  const client: PurgeClient = {
    listFinished: () => Promise.resolve([]),
    purge: () => Promise.reject(new Error('nothing here is purged')),
    status: (instanceId) =>
      Promise.resolve(instances.has(instanceId) ? { customStatus: null, input: null } : undefined),
  };
  // The service stamps each row with the real time; a sweep "a month later" lists every row written
  // here, and the claims' own times (set below) decide.
  const sweepNow = Date.now() + RETENTION_MS + DAY_MS;
  const sweep = (retentionMs = RETENTION_MS) =>
    purgeExpiredRuns({ client, store, claims, retentionMs, now: new Date(sweepNow) });
  /** The claim row of `runId` as stored, or undefined when there is none. */
  const claimOf = (runId: string) =>
    table.getEntity<Record<string, unknown>>(runId, 'claim').then(
      (row) => row,
      (error: { statusCode?: number }) => {
        if (error.statusCode === 404) return undefined;
        throw error;
      },
    );

  beforeAll(() => {
    const settings = {
      kind: 'connection-string' as const,
      connectionString: azurite().connectionString,
      tablePrefix: 'OrphanClaims',
    };
    claims = new TableRunClaims(settings);
    store = new TableRunStore(settings);
    table = TableClient.fromConnectionString(azurite().connectionString, 'OrphanClaimsRunClaims', {
      allowInsecureConnection: true,
    });
  });

  it('removes the claim of a run purged behind its back, and keeps the claim of a run that still exists', async () => {
    const longAgo = sweepNow - RETENTION_MS - DAY_MS;
    await claims.insert('purged-behind', nonce(1), longAgo);
    await claims.markStarted('purged-behind', nonce(1));
    await claims.insert('still-there', nonce(2), longAgo);
    await claims.markStarted('still-there', nonce(2));
    instances.add('still-there');
    // Within the retention: left for a later sweep, instance or not.
    await claims.insert('recent', nonce(3), sweepNow - DAY_MS);
    await claims.markStarted('recent', nonce(3));

    const result = await sweep();
    expect(result).toMatchObject({ orphanClaims: 1, failures: [] });
    expect(await claimOf('purged-behind')).toBeUndefined();
    expect(await claimOf('still-there')).toMatchObject({ nonce: nonce(2), state: 'started' });
    expect(await claimOf('recent')).toMatchObject({ nonce: nonce(3), state: 'started' });
    // The id is free: a new start claims it at once.
    expect(await claims.insert('purged-behind', nonce(4), sweepNow)).toBeUndefined();
  });

  it('never removes a starting claim younger than the abandoned-claim time, however short the retention', async () => {
    await claims.insert('start-under-way', nonce(5), sweepNow - ABANDONED_CLAIM_MS + 1000);
    await claims.insert('start-crashed', nonce(6), sweepNow - ABANDONED_CLAIM_MS - 1000);

    const result = await sweep(0);
    expect(result.failures).toEqual([]);
    expect(await claimOf('start-under-way')).toMatchObject({ nonce: nonce(5), state: 'starting' });
    expect(await claimOf('start-crashed')).toBeUndefined();
  });

  it('keeps a claim that a start took over after the sweep listed it', async () => {
    const claimedAt = sweepNow - RETENTION_MS - DAY_MS;
    await claims.insert('taken-over', nonce(7), claimedAt);
    const listed = (await claims.listClaimedBefore(sweepNow - RETENTION_MS)).find(
      (c) => c.runId === 'taken-over',
    )!;
    expect(listed).toMatchObject({ nonce: nonce(7), state: 'starting', claimedAt });
    expect(await claims.takeOver('taken-over', listed, nonce(8), sweepNow)).toBe(true);

    expect(await claims.remove(listed)).toBe(false);
    expect(await claimOf('taken-over')).toMatchObject({ nonce: nonce(8) });
  });
});
