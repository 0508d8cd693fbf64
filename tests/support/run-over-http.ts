/**
 * A run driven over the app's HTTP API the way the integration tests drive it: started with its
 * 202 checked, then its status polled until what the test waits for holds.
 */
import type { RunHandle } from '../../src/client/api-schemas';
import { request, waitFor } from './api-client';

/** `POST <api>/workflows/customer_support/run` with `body`; fails the test unless it answers 202. */
export async function startRunOver(
  api: string,
  body: Record<string, unknown>,
  headers?: Record<string, string>,
): Promise<RunHandle> {
  const response = await request<RunHandle>(`${api}/workflows/customer_support/run`, {
    body,
    ...(headers ? { headers } : {}),
  });
  expect(response.status).toBe(202);
  return response.body;
}

/** Polls the run's status (with its token) until `predicate` holds, and returns that status. */
export function statusWhen<S>(
  run: Pick<RunHandle, 'statusUri' | 'token'>,
  what: string,
  predicate: (status: S) => boolean,
  options?: { timeoutMs?: number; intervalMs?: number },
): Promise<S> {
  return waitFor(
    what,
    async () => {
      const response = await request<S>(run.statusUri, { token: run.token });
      return predicate(response.body) ? response.body : undefined;
    },
    options,
  );
}
