import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { pairFigures } from '../../src/ours-only/cost-split/cost-split-task';
import { runCharged, startCostAttribution, type CostTally } from '../../src/ours/cost-attribution';

function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy on purpose: the time to attribute
  }
}

function get(port: number, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (response) => {
      response.resume();
      response.on('end', () => resolve());
    })
      .on('error', reject)
      .end();
  });
}

describe('cost attribution', () => {
  it('charges work to the area that started it, across awaits, and the rest to the host', async () => {
    const attribution = startCostAttribution({ modelPort: 1, hostPort: 2 });
    try {
      await runCharged('app:activity', async () => {
        await nextTurn();
        spin(20);
      });
      await new Promise<void>((resolve) =>
        setImmediate(() => {
          spin(10);
          resolve();
        }),
      );
      const tally = attribution.take();
      expect(tally.busyMs['app:activity']).toBeGreaterThanOrEqual(20);
      expect(tally.busyMs.host).toBeGreaterThanOrEqual(10);
      expect(tally.busyMs['app:orchestrator']).toBe(0);
      expect(attribution.take().busyMs['app:activity']).toBe(0);
    } finally {
      attribution.stop();
    }
  });

  it('counts requests by the area that sent them and by destination (storage by its path)', async () => {
    const server = createServer((_request, response) => response.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const seen: string[] = [];
    const attribution = startCostAttribution({
      modelPort: port,
      hostPort: 2,
      onRequest: (area, kind, method, path) => seen.push(`${area} ${kind} ${method} ${path}`),
    });
    try {
      await runCharged('app:activity', () => get(port, '/devstoreaccount1/Events'));
      await runCharged('app:activity', () => get(port, '/v1/chat/completions'));
      await get(port, '/elsewhere');
      const { requests } = attribution.take();
      expect(requests['app:activity']).toEqual({ storage: 1, model: 1, host: 0, other: 0 });
      expect(requests.host.model).toBe(1);
      expect(seen[0]).toBe('app:activity storage GET /devstoreaccount1/Events');
    } finally {
      attribution.stop();
      server.close();
    }
  });

  it('counts requests to the durable RPC listener as requests to the host', async () => {
    const server = createServer((_request, response) => response.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const attribution = startCostAttribution({ modelPort: 1, hostPort: 2, rpcPort: port });
    try {
      await runCharged('app:http', () => get(port, '/durabletask/instances/run-1'));
      expect(attribution.take().requests['app:http']).toEqual({ storage: 0, model: 0, host: 1, other: 0 });
    } finally {
      attribution.stop();
      server.close();
    }
  });

  it("splits a plain run's CPU by the hooked run's shares, per turn", () => {
    const zero = { storage: 0, model: 0, host: 0, other: 0 };
    const tally: CostTally = {
      busyMs: {
        'app:orchestrator': 1,
        'app:activity': 5,
        'app:http': 1,
        'app:other': 1,
        host: 1,
        client: 1,
      },
      requests: {
        'app:orchestrator': zero,
        'app:activity': { ...zero, storage: 8, model: 2 },
        'app:http': { ...zero, storage: 1, host: 2 },
        'app:other': zero,
        host: { ...zero, storage: 4 },
        client: { ...zero, host: 2 },
      },
    };

    expect(pairFigures(20, tally, 2)).toEqual({
      workerCpu: 10,
      app: 8,
      orchestrator: 1,
      activities: 5,
      http: 2,
      host: 1,
      client: 1,
      appStorageRequests: 4.5,
      engineStorageRequests: 2,
      appHostRequests: 1,
      modelRequests: 1,
    });
  });
});
