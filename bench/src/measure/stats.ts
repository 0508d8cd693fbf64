/**
 * Summary statistics of repeated measurements: medians with their spread, never means (a single
 * GC pause would move a mean).
 */
import { BenchError } from '../bench-error';

/** The summary of a sample. */
export interface Stats {
  /** How many measurements. */
  n: number;
  median: number;
  /** 10th and 90th percentiles: 80 % of the measurements lie between them. */
  p10: number;
  p90: number;
  min: number;
  max: number;
}

/**
 * The summary of `values` (linear interpolation between closest ranks for percentiles).
 *
 * @example
 * ```ts
 * summarize([3, 1, 2]); // { n: 3, median: 2, p10: 1.2, p90: 2.8, min: 1, max: 3 }
 * ```
 */
export function summarize(values: readonly number[]): Stats {
  if (values.length === 0) throw new BenchError('invalid_option', 'Cannot summarize an empty sample.');
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: percentile(sorted, 0.5),
    p10: percentile(sorted, 0.1),
    p90: percentile(sorted, 0.9),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
  };
}

/** The `q` quantile (0..1) of an ascending, non-empty array. */
export function percentile(sorted: readonly number[], q: number): number {
  const rank = q * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low]!;
  return lowValue + (sorted[high]! - lowValue) * (rank - low);
}
