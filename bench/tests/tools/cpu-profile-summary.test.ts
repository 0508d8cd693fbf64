import { areaOf, callersOf, type CpuProfile, summarizeCpuProfile } from '../../src/tools/cpu-profile-summary';

const frame = (functionName: string, url = '', lineNumber = 0) => ({
  functionName,
  url,
  lineNumber,
  columnNumber: 0,
});

/** root -> handler (app) -> request (node:http) -> writev (native); root -> (idle). */
function profile(): CpuProfile {
  return {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 5] },
      { id: 2, callFrame: frame('handle', 'file:///repo/dist/devhost/http/front-door.js', 9), children: [3] },
      { id: 3, callFrame: frame('request', 'node:http', 1), children: [4] },
      { id: 4, callFrame: frame('writev'), children: [] },
      { id: 5, callFrame: frame('(idle)'), children: [] },
    ],
    startTime: 0,
    endTime: 10_000,
    // Microseconds before each sample.
    samples: [4, 4, 2, 5],
    timeDeltas: [1000, 3000, 2000, 4000],
  };
}

describe('CPU profile summary', () => {
  it('names the area of a script: Node internals, the package, or the folder of the app', () => {
    expect(areaOf('node:internal/streams', 'x')).toBe('node:internal');
    expect(areaOf('file:///r/node_modules/@azure/data-tables/dist/x.js', 'x')).toBe('@azure/data-tables');
    expect(areaOf('file:///r/node_modules/zod/v4/core/schemas.cjs', 'x')).toBe('zod');
    expect(areaOf('file:///r/dist/devhost/durable/engine/x.js', 'x')).toBe('dist/devhost/durable');
    expect(areaOf('', '(garbage collector)')).toBe('(garbage collector)');
  });

  it('splits busy from idle time and counts each function once per sample on its stack', () => {
    const summary = summarizeCpuProfile(profile());

    expect(summary).toMatchObject({ totalMs: 10, idleMs: 4, busyMs: 6 });
    expect(summary.selfByFunction.map((line) => [line.label, line.ms])).toEqual([
      ['writev', 4],
      ['handle dist/devhost/http/front-door.js:10', 2],
    ]);
    const inclusive = new Map(summary.inclusiveByFunction.map((line) => [line.label, line.ms]));
    expect(inclusive.get('handle dist/devhost/http/front-door.js:10')).toBe(6);
    expect(inclusive.get('(root)')).toBe(6);
  });

  it('attributes the time under a native frame to the nearest caller outside Node internals', () => {
    const lines = callersOf(profile(), 'writev');

    expect(lines).toEqual([{ label: 'handle dist/devhost/http/front-door.js:10', ms: 4, share: 4 / 6 }]);
  });

  it("names the caller outside the focused library, not the library's own outer frames", () => {
    const parsing: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2] },
        {
          id: 2,
          callFrame: frame('handoffAgentTurn', 'file:///repo/dist/src/durable/a.js', 4),
          children: [3],
        },
        {
          id: 3,
          callFrame: frame('parse', 'file:///repo/node_modules/zod/v4/classic/schemas.cjs', 1),
          children: [4],
        },
        {
          id: 4,
          callFrame: frame('run', 'file:///repo/node_modules/zod/v4/core/schemas.cjs', 2),
          children: [],
        },
      ],
      startTime: 0,
      endTime: 2_000,
      samples: [4, 3],
      timeDeltas: [1000, 1000],
    };

    expect(callersOf(parsing, 'zod/')).toEqual([
      { label: 'handoffAgentTurn dist/src/durable/a.js:5', ms: 2, share: 1 },
    ]);
  });
});
