/**
 * The stack floor's minimal app, in a subject process as the tool runs it: it must do the bench's
 * `handoff` scenario with one model call and one storage request per turn, or it is no floor.
 * Needs `npm run build` (the local host from dist/) and bench/node_modules (tsx).
 */
import { BENCH_API_KEY, BENCH_MODEL, startBenchModelServer } from '../../src/model-server/bench-model-server';
import { HANDOFF_SCENARIO } from '../../src/scenario/scenarios';
import { FloorChildHandle } from '../../src/stack-floor/floor-child-handle';
import { blockFigures } from '../../src/stack-floor/floor-figures';

describe('stack floor app', () => {
  it('runs the handoff scenario with one model call and one storage transaction per agent turn', async () => {
    const server = await startBenchModelServer();
    let child: FloorChildHandle | undefined;
    try {
      child = await FloorChildHandle.start('stack-floor-memory', {
        baseUrl: server.baseUrl,
        apiKey: BENCH_API_KEY,
        model: BENCH_MODEL,
      });
      const plain = await child.ask({ type: 'plain', runs: 2 }, 'plain_done');
      const hooked = await child.ask({ type: 'hooked', runs: 2 }, 'hooked_done');
      const turns = HANDOFF_SCENARIO.route.length;

      expect(server.takeUsage().modelRequests).toBe(4 * turns);
      const figures = blockFigures(plain.runs, 0, turns, { value: hooked.tally, runs: 2 });
      expect(figures.appStorageRequests).toBe(1);
      // A start and a status read per run, each one request to the management API.
      expect(figures.appHostRequests).toBe(2 / turns);
      expect(figures.engineStorageRequests).toBe(0);
      expect(figures.storageBytes).toBeGreaterThan(1000);
      expect(figures.modelBytes).toBeGreaterThan(500);
      expect(figures.app).toBeGreaterThan(0);
    } finally {
      await child?.stop();
      await server.close();
    }
  });
});
