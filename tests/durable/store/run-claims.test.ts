/**
 * The claims of chosen run ids (against Azurite): one start of an id in many goes through, and
 * the rules for a claim already there (see `claimRunId`).
 */
import { useInMemoryAzurite } from '../../support/in-memory-azurite';
import { ABANDONED_CLAIM_MS, claimRunId, TableRunClaims } from '../../../src/durable/store/run-claims';

const T0 = Date.parse('2026-12-04T10:00:00Z');
const CLAIMED = { kind: 'claimed' };
const TAKEN = { kind: 'taken' };
const nonce = (n: number) => `nonce-${String(n).padStart(16, '0')}`;

describe('run id claims (against Azurite)', () => {
  const azurite = useInMemoryAzurite('run-claims');
  let claims: TableRunClaims;
  let runNumber = 0;
  const newRunId = () => `claimed-${++runNumber}`;
  /** Instances by run id, as Durable would answer "does an instance of this id exist?". */
  const instances = new Set<string>();
  const claim = (runId: string, n: number, now = T0) =>
    claimRunId(claims, () => Promise.resolve(instances.has(runId)), runId, nonce(n), now);

  beforeAll(() => {
    claims = new TableRunClaims({
      kind: 'connection-string',
      connectionString: azurite().connectionString,
      tablePrefix: 'RunClaimsTest',
    });
  });

  it('lets exactly one of many concurrent claims of an id through', async () => {
    const runId = newRunId();
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => claim(runId, i)));
    expect(outcomes.filter((o) => o.kind === 'claimed')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'starting')).toHaveLength(11);
  });

  it('answers retry-later while a start holds an id without an instance, and lets a later start take over a claim abandoned that long', async () => {
    const runId = newRunId();
    expect(await claim(runId, 1)).toEqual(CLAIMED);
    expect(await claim(runId, 2, T0 + ABANDONED_CLAIM_MS - 1000)).toEqual({
      kind: 'starting',
      retryAfterMs: 1000,
    });
    // The first start never started its instance (it crashed): after the timeout, one of two takes over.
    const late = T0 + ABANDONED_CLAIM_MS;
    const outcomes = await Promise.all([claim(runId, 3, late), claim(runId, 4, late)]);
    expect(outcomes.filter((o) => o.kind === 'claimed')).toHaveLength(1);
    // The loser lost the take-over, or read the claim after the winner's take-over (a fresh start).
    expect(['taken', 'starting']).toContain(outcomes.find((o) => o.kind !== 'claimed')?.kind);
  });

  it('refuses an id whose instance exists, whatever its claim says', async () => {
    const runId = newRunId();
    expect(await claim(runId, 1)).toEqual(CLAIMED);
    await claims.markStarted(runId, nonce(1));
    instances.add(runId);
    expect(await claim(runId, 2, T0 + 10 * ABANDONED_CLAIM_MS)).toEqual(TAKEN);
  });

  it('frees the id of a started run once its instance is gone (purged where the app could not see)', async () => {
    const runId = newRunId();
    expect(await claim(runId, 1)).toEqual(CLAIMED);
    await claims.markStarted(runId, nonce(1));
    expect(await claim(runId, 2, T0 + 1)).toEqual(CLAIMED);
    // The new start holds the id now: the first one's release leaves its claim alone.
    await claims.release(runId, nonce(1));
    expect((await claim(runId, 3, T0 + 2)).kind).toBe('starting');
  });

  it('removes the claim it made for an id whose instance exists without one (a run of an earlier build)', async () => {
    const runId = newRunId();
    instances.add(runId);
    expect(await claim(runId, 1)).toEqual(TAKEN);
    expect(await claims.insert(runId, nonce(2), T0)).toBeUndefined();
  });

  it('frees an id at once when its claim is released (a failed start, a purge)', async () => {
    const runId = newRunId();
    expect(await claim(runId, 1)).toEqual(CLAIMED);
    await claims.release(runId, nonce(1));
    expect(await claims.insert(runId, nonce(2), T0)).toBeUndefined();
  });
});
