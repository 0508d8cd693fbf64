/**
 * The checks the hand readers of #16 share (agent-turn input, run status and output, the journal's
 * usage): each reads a value of the usual shape without its zod schema and must accept exactly what
 * the schema would, so the primitive checks are stated once, as zod states them.
 */

/** A JSON object: not null, not an array. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What `z.number().int().min(least)` accepts (zod's `int()` takes safe integers only); `least` 0 by default. */
export function isCount(value: unknown, least = 0): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= least;
}
