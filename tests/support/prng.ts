/**
 * A seeded pseudo-random number generator (mulberry32) for tests that pick random moments or
 * inputs: the same seed gives the same sequence, so a failure replays with its printed seed.
 */

/** A seeded random source. */
export interface Prng {
  /** The seed it started from (print it with any failure). */
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
}

/**
 * A mulberry32 generator. 32-bit state, period 2^32: plenty for choosing test timings, and small
 * enough to read in one glance.
 *
 * @example
 * const random = mulberry32(20261124);
 * const delayMs = random.int(100, 900);
 */
export function mulberry32(seed: number): Prng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    seed: seed >>> 0,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick() needs at least one item');
      return items[Math.floor(next() * items.length)]!;
    },
  };
}

/**
 * The seed from an environment variable (decimal), else `fallback`. A malformed value fails loudly
 * instead of silently running with another seed.
 */
export function seedFromEnv(name: string, fallback: number, env = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback >>> 0;
  if (!/^\d{1,10}$/.test(raw.trim()) || Number(raw) > 0xffffffff) {
    throw new Error(`${name} must be a whole number from 0 to 4294967295; got '${raw}'.`);
  }
  return Number(raw) >>> 0;
}
