/**
 * Runs `task` over `items` with at most `limit` tasks in flight, in order of the items; resolves
 * when all are done and rejects with the first failure.
 *
 * @example
 * await forEachLimited(requests, 8, (request) => send(request));
 */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await task(item);
    }
  });
  await Promise.all(workers);
}
