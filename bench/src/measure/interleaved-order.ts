/**
 * The order in which frameworks take their turn in each round. Rounds are round-robin across
 * frameworks, so slow drift of the machine (thermal, background load, the model server's own
 * heap) spreads over all of them; the starting framework rotates each round, so none always runs
 * right after the same neighbour.
 */

/** `items` rotated left by `round` positions. */
export function roundOrder<T>(items: readonly T[], round: number): T[] {
  if (items.length === 0) return [];
  const shift = round % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
