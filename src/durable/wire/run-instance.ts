import { z } from 'zod';

/**
 * The nonce of a run instance: 128 random bits, base64url (22 characters), made when the run
 * starts (`newRunNonce`) and kept in its orchestration input and custom status. A run id can be used again after
 * a purge; the nonce cannot, so it tells two runs of one id apart: the run store keeps each
 * instance's data under its own key, and run tokens name the instance they were issued for.
 */
export const RunNonceSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'must be 22 base64url characters');

/** A run instance: its id and, for runs started since #18, its nonce. */
export interface RunInstanceRef {
  runId: string;
  /** Absent for runs started by builds before #18. */
  nonce?: string | undefined;
}

/**
 * The key of a run instance's data in the run store: `<runId>.<nonce>`, or the run id alone for a
 * run started before #18 (whose data was stored under it). Run ids never hold a `.`
 * (`RunIdSchema`), so no run id can name another instance's data.
 */
export function runStoreKey(run: RunInstanceRef): string {
  return run.nonce === undefined ? run.runId : `${run.runId}.${run.nonce}`;
}
