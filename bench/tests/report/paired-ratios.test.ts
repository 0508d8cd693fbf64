import type { RunSample } from '../../src/measure/sequential-phase';
import { pairedRatio } from '../../src/report/paired-ratios';

const sample = (round: number, overheadPerTurnMs: number): RunSample => ({
  round,
  wallMs: overheadPerTurnMs * 2,
  serverMs: 0,
  modelRequests: 2,
  overheadPerTurnMs,
  cpuPerTurnMs: overheadPerTurnMs,
});

describe('pairedRatio', () => {
  it('divides figures of the same round, so a slow round slows both sides of its ratio', () => {
    const ours = [sample(0, 2), sample(1, 20), sample(2, 3)];
    const peer = [sample(0, 4), sample(1, 40), sample(2, 6)];

    const ratio = pairedRatio(ours, peer, (run) => run.overheadPerTurnMs);

    expect(ratio).toMatchObject({ n: 3, median: 0.5, min: 0.5, max: 0.5 });
  });

  it('ignores rounds only one side ran', () => {
    const ratio = pairedRatio([sample(0, 3), sample(5, 100)], [sample(0, 1)], (run) => run.wallMs);

    expect(ratio).toMatchObject({ n: 1, median: 3 });
  });
});
