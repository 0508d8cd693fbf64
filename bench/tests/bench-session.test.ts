import { runBenchSession } from '../src/bench-session';
import { parseBenchOptions } from '../src/cli-options';
import { BENCH_API_KEY, BENCH_MODEL, startBenchModelServer } from '../src/model-server/bench-model-server';
import { OURS_ONLY_FIGURE_IDS } from '../src/ours-only/ours-only-figures';
import { FrameworkWorkerHandle } from '../src/worker/framework-worker-handle';

describe('bench session', () => {
  it('runs every registered framework in its own process through both scenarios, a concurrent batch and the ours-only measurements', async () => {
    const options = parseBenchOptions(
      [
        '--runs',
        '2',
        '--warmup',
        '1',
        '--throughput-runs',
        '1',
        '--throughput-warmup',
        '0',
        '--concurrency',
        '4',
        '--latency',
        '5',
      ],
      '/unused',
    );
    const lines: string[] = [];

    const session = await runBenchSession(options, (line) => lines.push(line));

    const names = [
      'openai-agents',
      'langgraph-swarm-memory',
      'langgraph-swarm-sqlite',
      'durable-handoff-memory',
      'durable-handoff-azurite',
    ];
    const throughputOnly = [
      'durable-handoff-memory-concurrency-200',
      'durable-handoff-azurite-concurrency-200',
    ];
    expect(session.frameworks.map((framework) => framework.name)).toEqual([...names, ...throughputOnly]);
    for (const framework of session.frameworks) {
      expect(framework.peakRssMb.sequential).toBeGreaterThan(0);
      expect(framework.peakRssMb.throughput).toBeGreaterThanOrEqual(framework.peakRssMb.sequential);
    }
    const ours = session.frameworks.filter((framework) => framework.kind === 'ours');
    for (const framework of ours) {
      expect(framework.childPeakRssMb?.throughput?.azurite).toBeGreaterThan(0);
    }
    expect(session.scenarios.map(({ scenario }) => scenario.name)).toEqual(['handoff', 'chain']);
    for (const { scenario, samples } of session.scenarios) {
      expect([...samples.keys()]).toEqual(names);
      for (const runs of samples.values()) {
        expect(runs.map((run) => run.round)).toEqual([0, 1]);
        expect(runs.every((run) => run.modelRequests === scenario.route.length)).toBe(true);
      }
    }
    expect([...session.throughput!.samples.keys()]).toEqual([...names, ...throughputOnly]);
    expect([...session.throughput!.samples.values()].every((batches) => batches.length === 1)).toBe(true);
    expect(lines).toContain('starting openai-agents');
    const reported = new Set(session.oursOnly.map((samples) => samples.figure));
    expect(reported).toEqual(new Set(OURS_ONLY_FIGURE_IDS));
  });

  it('stops with an error naming the framework when a worker cannot set its framework up', async () => {
    const server = await startBenchModelServer();
    const worker = FrameworkWorkerHandle.start('no-such-framework');
    try {
      await expect(
        worker.setup({ baseUrl: server.baseUrl, apiKey: BENCH_API_KEY, model: BENCH_MODEL }),
      ).rejects.toThrow(
        /Framework no-such-framework failed on setup: .*Unknown framework 'no-such-framework'/,
      );
    } finally {
      await worker.stop();
      await server.close();
    }
  });
});
