import { firstTokenRuns, measureFirstToken } from '../../src/ours-only/first-token/first-token-measurement';

describe('time to first visible token', () => {
  it('times the first delta of a streamed answer on the turn’s instance and on another one', async () => {
    const lines: string[] = [];

    const samples = await measureFirstToken({
      runs: 2,
      warmup: 0,
      thinkMs: 200,
      log: (line) => lines.push(line),
    });

    expect(samples).toHaveLength(2);
    for (const sample of samples) {
      expect(sample.sameInstanceMs).toBeGreaterThan(0);
      expect(sample.otherInstanceMs).toBeGreaterThan(0);
    }
    expect(lines).toEqual([
      expect.stringMatching(/^first token, run 1\/2: same instance/),
      expect.any(String),
    ]);
  }, 120_000);

  it('runs between 2 and 30 times in npm run bench', () => {
    expect([firstTokenRuns(1), firstTokenRuns(10), firstTokenRuns(50)]).toEqual([2, 10, 30]);
  });
});
