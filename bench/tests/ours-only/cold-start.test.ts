import { BenchError } from '../../src/bench-error';
import {
  coldStartProbes,
  describeImports,
  parseProbeOutput,
} from '../../src/ours-only/cold-start/cold-start-measurement';

describe('cold start', () => {
  it("reads the probe's result from its last line, after whatever the app printed", () => {
    const stdout =
      "model: openai-compatible model 'scripted-model'\n" +
      '{"startMs":412.5,"functions":10,"imports":[["zod",40],["openai",35]]}\n';

    expect(parseProbeOutput(stdout)).toEqual({
      startMs: 412.5,
      functions: 10,
      imports: [
        ['zod', 40],
        ['openai', 35],
      ],
    });
  });

  it('fails with the end of the output when the probe printed no result', () => {
    expect(() => parseProbeOutput('Error: Cannot find module\n')).toThrow(BenchError);
    expect(() => parseProbeOutput('Error: Cannot find module\n')).toThrow(/Cannot find module/);
  });

  it('lists the median first-require time of each package, slowest first', () => {
    const probe = (zod: number, df: number) => ({
      startMs: 1,
      functions: 1,
      imports: [
        ['zod', zod],
        ['durable-functions', df],
      ] as [string, number][],
    });

    expect(describeImports([probe(40, 150), probe(50, 110), probe(45, 130)])).toBe(
      'durable-functions 130, zod 45',
    );
  });

  it('starts between 5 and 20 fresh processes', () => {
    expect([coldStartProbes(1), coldStartProbes(10), coldStartProbes(50)]).toEqual([5, 10, 20]);
  });
});
