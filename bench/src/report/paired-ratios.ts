/**
 * Ratios between frameworks, paired by round: in round r, framework A's figure divided by
 * framework B's figure from the same round (they ran back to back), then summarized over rounds.
 * Pairing cancels the drift that interleaving spreads evenly; the spread says how stable the
 * ratio is.
 */
import { BenchError } from '../bench-error';
import type { RunSample } from '../measure/sequential-phase';
import { type Stats, summarize } from '../measure/stats';

/** A's figure / B's figure over the rounds both have, summarized. */
export function pairedRatio(
  a: readonly RunSample[],
  b: readonly RunSample[],
  figure: (sample: RunSample) => number,
): Stats {
  const byRound = new Map(b.map((sample) => [sample.round, sample]));
  const ratios: number[] = [];
  for (const sample of a) {
    const other = byRound.get(sample.round);
    if (other !== undefined) ratios.push(figure(sample) / figure(other));
  }
  if (ratios.length === 0) {
    throw new BenchError('invalid_option', 'Cannot pair samples: the two frameworks share no round.');
  }
  return summarize(ratios);
}
