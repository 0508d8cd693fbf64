import { BenchError } from '../src/bench-error';
import { parseBenchOptions } from '../src/cli-options';

describe('bench options', () => {
  it('runs every registered framework and scenario with the full defaults', () => {
    const options = parseBenchOptions([], '/bench');

    expect(options).toMatchObject({
      runs: 50,
      warmup: 10,
      concurrency: 200,
      latencyMs: 100,
      throughput: true,
      frameworks: [
        'openai-agents',
        'langgraph-swarm-memory',
        'langgraph-swarm-sqlite',
        'durable-handoff-memory',
        'durable-handoff-azurite',
        'durable-handoff-memory-concurrency-200',
        'durable-handoff-azurite-concurrency-200',
      ],
      scenarios: ['handoff', 'chain'],
      out: '/bench/results/latest.json',
    });
  });

  it('runs the real Durable engine (it needs .NET) only when --only names it', () => {
    expect(parseBenchOptions([], '/b').frameworks).not.toContain('durable-handoff-dtfx');
    expect(parseBenchOptions(['--only', 'durable-handoff-dtfx'], '/b').frameworks).toEqual([
      'durable-handoff-dtfx',
    ]);
  });

  it('lets explicit flags win over --quick', () => {
    const options = parseBenchOptions(
      ['--quick', '--runs', '7', '--only', 'openai-agents,langgraph-swarm-memory'],
      '/b',
    );

    expect(options).toMatchObject({ quick: true, runs: 7, warmup: 2, throughputRuns: 1 });
    expect(options.frameworks).toEqual(['openai-agents', 'langgraph-swarm-memory']);
  });

  it('names the unknown framework and the registered ones', () => {
    expect(() => parseBenchOptions(['--only', 'mastra'], '/b')).toThrow(
      '--only names unknown framework(s) mastra. Registered: openai-agents, langgraph-swarm-memory, langgraph-swarm-sqlite, durable-handoff-memory, durable-handoff-azurite, durable-handoff-dtfx, stack-floor-memory, stack-floor-azurite, durable-handoff-memory-concurrency-200, durable-handoff-azurite-concurrency-200.',
    );
  });

  it('refuses a count that is not a whole number, and an unknown flag, with the usage text', () => {
    expect(() => parseBenchOptions(['--runs', 'many'], '/b')).toThrow(/--runs must be a number[\s\S]*Usage:/);
    expect(() => parseBenchOptions(['--concurrency', '0'], '/b')).toThrow('--concurrency must be at least 1');
    expect(() => parseBenchOptions(['--fast'], '/b')).toThrow(BenchError);
  });

  it('names the unknown scenario and the known ones', () => {
    expect(() => parseBenchOptions(['--scenario', 'refund'], '/b')).toThrow(
      'unknown scenario "refund"; known: handoff, chain',
    );
  });
});
