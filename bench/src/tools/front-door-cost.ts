/**
 * The local host's front door CPU per proxied HTTP invocation, compared across builds in one
 * process: each `--dist DIR` build's front door (`createFrontDoor` on its `FrontDoorServer`) serves
 * the two requests a `handoff` run sends (the POST that starts a run, with a JSON body, and the GET
 * of its status) in HTTP streaming mode, forwarding each to an HTTP server that answers the way
 * `@azure/functions`' stream proxy does (headers and the JSON body in a write, then the end). The
 * app's part is left out: the invoker answers at once, and the proxy and the client are the same
 * code for every build, so the difference between builds is the front door's own (route lookup,
 * request conversion, the forward, the answer's writes). Rounds alternate the builds; the figure
 * is the median of the rounds' process CPU per request. `--dist` as for `table-transaction-cost.ts`
 * (a copy of a `dist/` under this checkout, so Node finds its `node_modules`).
 *
 * @example
 * ```sh
 * cd bench && node --import tsx src/tools/front-door-cost.ts --rounds 30 --requests 200 --dist ../node_modules/.ab/before --dist ../dist
 * ```
 */
import http, { Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { createFrontDoor as CreateFrontDoor } from '../../../dist/devhost/http/front-door.js';
import type { FrontDoorServer as FrontDoorServerClass } from '../../../dist/devhost/http/front-door-server.js';
import type { buildRouteTable as BuildRouteTable } from '../../../dist/devhost/http/route-table.js';
import type { loadHostKeys as LoadHostKeys } from '../../../dist/devhost/http/host-keys.js';
import { PROJECT_DIR } from '../ours/bench-app-host';
import { loadAverage } from '../report/machine-info';
import { summarize } from '../measure/stats';

type RegisteredFunction = Parameters<typeof BuildRouteTable>[0][number];

function httpFunction(name: string, route: string, methods: string[]): RegisteredFunction {
  return {
    name,
    triggerType: 'httpTrigger',
    triggerBindingName: 'request',
    bindings: {
      request: { type: 'httpTrigger', direction: 'in', route, methods, authLevel: 'anonymous' },
      $return: { type: 'http', direction: 'out' },
    },
  };
}

/** Routes shaped like the sample app's, in its registration order. */
const FUNCTIONS: RegisteredFunction[] = [
  httpFunction('chatPage', 'chat', ['GET']),
  httpFunction('listWorkflows', 'workflows', ['GET']),
  httpFunction('startRun', 'workflows/{workflow}/run', ['POST']),
  httpFunction('getRunStatus', 'workflows/{workflow}/status/{runId}', ['GET']),
  httpFunction('respondToRun', 'workflows/{workflow}/respond/{runId}', ['POST']),
  httpFunction('terminateRun', 'workflows/{workflow}/terminate/{runId}', ['POST']),
  httpFunction('runEvents', 'workflows/{workflow}/events/{runId}', ['GET']),
  httpFunction('syncRun', 'workflows/{workflow}/run-sync', ['POST']),
];

const START_BODY = JSON.stringify({ message: 'My order 1234 arrived damaged.', mode: 'autonomous' });
const STATUS_BODY = JSON.stringify({
  runId: '3acb6d82-d848-47bf-8a9c-1b13bd05d294',
  status: 'completed',
  output: { answer: 'x'.repeat(400) },
});

/** Answers like the library's stream proxy: the headers with the first body write, then the end. */
function startWorkerProxy(): Promise<{ server: http.Server; httpUri: string }> {
  const server = http.createServer({ keepAliveTimeout: 130_000 }, (req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.setHeader('x-ms-invocation-id', String(req.headers['x-ms-invocation-id']));
      res.statusCode = req.method === 'POST' ? 202 : 200;
      res.write(req.method === 'POST' ? START_BODY : STATUS_BODY);
      res.end();
    });
  });
  return new Promise((resolveStarted) =>
    server.listen(0, '127.0.0.1', () =>
      resolveStarted({ server, httpUri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` }),
    ),
  );
}

function send(agent: Agent, port: number, method: 'GET' | 'POST', path: string): Promise<void> {
  return new Promise((done, fail) => {
    const body = method === 'POST' ? START_BODY : undefined;
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: body
          ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
          : {},
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200 || res.statusCode === 202
            ? done()
            : fail(new Error(`HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

function median(values: number[]): number {
  return summarize(values).median;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '30' },
      requests: { type: 'string', default: '200' },
      dist: { type: 'string', multiple: true },
    },
  });
  const rounds = Number(values.rounds);
  const requests = Number(values.requests);
  const dists = (values.dist ?? [resolve(PROJECT_DIR, 'dist')]).map((dist) => resolve(dist));
  const worker = await startWorkerProxy();
  const log = (): void => undefined;
  const doors = await Promise.all(
    dists.map(async (dist) => {
      const load = createRequire(resolve(dist, 'package.json'));
      const { FrontDoorServer } = load(resolve(dist, 'devhost/http/front-door-server.js')) as {
        FrontDoorServer: typeof FrontDoorServerClass;
      };
      const { createFrontDoor } = load(resolve(dist, 'devhost/http/front-door.js')) as {
        createFrontDoor: typeof CreateFrontDoor;
      };
      const { buildRouteTable } = load(resolve(dist, 'devhost/http/route-table.js')) as {
        buildRouteTable: typeof BuildRouteTable;
      };
      const { loadHostKeys } = load(resolve(dist, 'devhost/http/host-keys.js')) as {
        loadHostKeys: typeof LoadHostKeys;
      };
      const server = await FrontDoorServer.listen(0);
      const workerConnections = new Agent({ keepAlive: true });
      server.setHandler(
        createFrontDoor({
          invoker: {
            list: () => FUNCTIONS,
            get: (name) => FUNCTIONS.find((fn) => fn.name === name),
            invoke: () => Promise.resolve({ ok: true }),
          },
          routes: buildRouteTable(FUNCTIONS, 'api', log),
          keys: loadHostKeys({ env: {} }),
          httpUri: worker.httpUri,
          workerConnections,
          log,
        }),
      );
      return {
        dist,
        server,
        workerConnections,
        client: new Agent({ keepAlive: true }),
        perRequest: [] as number[],
      };
    }),
  );
  const loadStart = loadAverage();
  try {
    const runId = '3acb6d82-d848-47bf-8a9c-1b13bd05d294';
    const block = async (door: (typeof doors)[number], count: number): Promise<number> => {
      const cpu = process.cpuUsage();
      for (let i = 0; i < count; i += 2) {
        await send(door.client, door.server.port, 'POST', '/api/workflows/customer_support/run');
        await send(door.client, door.server.port, 'GET', `/api/workflows/customer_support/status/${runId}`);
      }
      const used = process.cpuUsage(cpu);
      return (used.user + used.system) / count;
    };
    for (const door of doors) await block(door, requests); // warm-up
    for (let round = 0; round < rounds; round += 1) {
      const order = round % 2 === 0 ? doors : [...doors].reverse();
      for (const door of order) door.perRequest.push(await block(door, requests));
    }
    console.log(
      `front door CPU per proxied request (process CPU, the client and the worker's proxy included), ${rounds} rounds of ${requests}, load ${loadStart} -> ${loadAverage()}`,
    );
    for (const door of doors) {
      console.log(`${median(door.perRequest).toFixed(1).padStart(7)} µs  ${door.dist}`);
    }
  } finally {
    for (const door of doors) {
      door.client.destroy();
      door.workerConnections.destroy();
      await door.server.close();
    }
    worker.server.closeAllConnections();
    await new Promise((closed) => worker.server.close(closed));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
