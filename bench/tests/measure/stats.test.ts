import { BenchError } from '../../src/bench-error';
import { summarize } from '../../src/measure/stats';

describe('summarize', () => {
  it('reports the median, the 10th and 90th percentiles by linear interpolation, and the extremes', () => {
    expect(summarize([5, 1, 4, 2, 3])).toEqual({ n: 5, median: 3, p10: 1.4, p90: 4.6, min: 1, max: 5 });
  });

  it('takes the middle of the two central values as the median of an even sample', () => {
    expect(summarize([10, 20, 30, 40]).median).toBe(25);
  });

  it('keeps one outlier from moving the median', () => {
    expect(summarize([2, 2, 2, 2, 500]).median).toBe(2);
  });

  it('refuses an empty sample', () => {
    expect(() => summarize([])).toThrow(BenchError);
  });
});
