import { announcedLength, blockFigures, roundRatios } from '../../src/stack-floor/floor-figures';
import type { FloorTally } from '../../src/stack-floor/floor-protocol';

function tally(busyMs: Record<string, number>, requests: FloorTally['requests'] = {}): FloorTally {
  return { busyMs, requests, storageBytes: 8000, modelBytes: 2000 };
}

describe('stack floor figures', () => {
  it('takes the median run per turn and subtracts the model server time per run from the wall time', () => {
    const figures = blockFigures(
      [
        { wallMs: 50, cpuMs: 20 },
        { wallMs: 70, cpuMs: 40 },
        { wallMs: 60, cpuMs: 24 },
      ],
      30,
      2,
    );

    expect(figures).toEqual({ processCpu: 12, overhead: 25 });
  });

  it("gives the real engine's CPU over a block's runs per run and turn, beside the hooked split", () => {
    const runs = [
      { wallMs: 900, cpuMs: 30 },
      { wallMs: 1100, cpuMs: 36 },
    ];

    expect(blockFigures(runs, 0, 3, undefined, 120)).toEqual({
      processCpu: 11,
      overhead: 1000 / 3,
      engineCpu: 20,
    });
    expect(blockFigures(runs, 0, 3, { runs: 2, value: tally({ 'app:activity': 1 }) }, 120)).toMatchObject({
      engineCpu: 20,
      app: 11,
    });
    expect(blockFigures(runs, 0, 3)).not.toHaveProperty('engineCpu');
  });

  it("splits the process CPU by the hooked runs' busy shares and counts the app's requests per turn", () => {
    const figures = blockFigures([{ wallMs: 40, cpuMs: 20 }], 0, 2, {
      runs: 2,
      value: tally(
        { 'app:orchestrator': 1, 'app:activity': 4, 'app:http': 2, 'app:other': 1, host: 1, client: 1 },
        {
          'app:activity': { storage: 4, model: 4, host: 0, other: 0 },
          'app:http': { storage: 0, model: 0, host: 4, other: 0 },
          host: { storage: 12, model: 0, host: 0, other: 8 },
        },
      ),
    });

    // 10 ms per turn, busy 10 ms in all: each busy ms is 1 ms of CPU per turn.
    expect(figures).toMatchObject({
      processCpu: 10,
      app: 8,
      orchestrator: 1,
      activities: 4,
      http: 3,
      host: 1,
      client: 1,
      appStorageRequests: 1,
      appHostRequests: 1,
      engineStorageRequests: 3,
      storageBytes: 2000,
      modelBytes: 500,
    });
  });

  it('pairs ratios by round and skips rounds one side lacks', () => {
    const a = new Map([
      [0, 6],
      [1, 9],
      [2, 4],
    ]);
    const b = new Map([
      [0, 3],
      [2, 4],
      [3, 1],
    ]);

    expect(roundRatios(a, b)).toMatchObject({ n: 2, min: 1, max: 2 });
    expect(roundRatios(a, new Map([[7, 1]]))).toBeUndefined();
  });

  it("reads a body's announced length from Node's and undici's header forms", () => {
    expect(announcedLength('host: x\r\nContent-Length: 123\r\n')).toBe(123);
    expect(announcedLength(['accept', '*/*', 'content-length', '77'])).toBe(77);
    expect(announcedLength(['accept', '*/*'])).toBe(0);
    expect(announcedLength(undefined)).toBe(0);
  });
});
