/**
 * `fetch` whose failures are always `Error`s of the calling realm.
 *
 * Node's fetch rejects an aborted request with a `DOMException`. Where code runs in a different
 * realm than Node's own globals (jest's sandbox, `vm` contexts), that exception fails the `openai`
 * SDK's `instanceof Error` check, loses its name, and a timeout is reported as a plain connection
 * error. Re-wrapping keeps `name` (`AbortError`, `TimeoutError`) so timeouts stay timeouts.
 */

/** The global `fetch`, with non-`Error` rejections turned into `Error`s that keep their name and cause. */
export const realmSafeFetch: typeof fetch = async (input, init) => {
  try {
    return await fetch(input, init);
  } catch (error) {
    throw toLocalError(error);
  }
};

/** `error` as an `Error` of this realm when it is not one (keeping its name, message and cause). */
export function toLocalError(error: unknown): unknown {
  if (error instanceof Error || typeof error !== 'object' || error === null) return error;
  const { name, message } = error as { name?: unknown; message?: unknown };
  const local = new Error(typeof message === 'string' ? message : 'fetch failed', { cause: error });
  if (typeof name === 'string') local.name = name;
  return local;
}
