import path from 'node:path';
import { Agent } from 'node:http';
import { createDurableEngine, createMemoryStore, type DurableEngine } from '../../../devhost/durable';
import {
  buildRouteTable,
  createFrontDoor,
  FrontDoorServer,
  loadHostKeys,
  type HostKeys,
} from '../../../devhost/http';
import type { FunctionInvoker } from '../../../devhost/contracts';
import type { LogEntry } from '../../../devhost/log';
import { AppWorker } from '../../../devhost/worker/app-worker';

/** The fixture apps of the front door tests. */
export const fixtureApp = path.join(__dirname, '../../fixtures/apps/http-basics');
export const streamingFixtureApp = path.join(fixtureApp, 'streaming');

/** An app served by a real worker behind a real front door, without the rest of the host. */
export interface ServedApp {
  baseUrl: string;
  keys: HostKeys;
  logs: LogEntry[];
  worker: AppWorker;
  engine?: DurableEngine;
  /** The front door's pool of connections to the worker's HTTP proxy. */
  workerConnections: Agent;
  stop(): Promise<void>;
}

/** Loads `appDir` and serves it on a free port; `stop()` closes the server and the worker. */
export async function serveApp(
  appDir: string,
  options: {
    routePrefix?: string;
    maxRequestBodyBytes?: number;
    withDurableEngine?: boolean;
    /** What the front door invokes functions through; by default the worker itself. */
    invoker?: (worker: AppWorker) => FunctionInvoker;
  } = {},
): Promise<ServedApp> {
  const logs: LogEntry[] = [];
  const log = (entry: LogEntry) => logs.push(entry);
  const server = await FrontDoorServer.listen(0);
  let worker: AppWorker | undefined;
  let engine: DurableEngine | undefined;
  let connections: Agent | undefined;
  try {
    worker = await AppWorker.start({ appDir, log });
    if (options.withDurableEngine) {
      engine = createDurableEngine({
        invoker: worker,
        store: createMemoryStore(),
        baseUrl: `http://localhost:${server.port}`,
        log,
      });
      await engine.start();
    }
    const keys = loadHostKeys({ env: {} });
    // Pooled connections to the worker's HTTP proxy, as the host keeps them.
    const workerConnections = new Agent({ keepAlive: true });
    connections = workerConnections;
    server.setHandler(
      createFrontDoor({
        invoker: options.invoker?.(worker) ?? worker,
        routes: buildRouteTable(worker.list(), options.routePrefix ?? 'api', log),
        keys,
        log,
        ...(worker.capabilities.HttpUri ? { httpUri: worker.capabilities.HttpUri, workerConnections } : {}),
        ...(options.maxRequestBodyBytes === undefined
          ? {}
          : { maxRequestBodyBytes: options.maxRequestBodyBytes }),
        ...(engine ? { durable: engine } : {}),
      }),
    );
    const started = worker;
    const startedEngine = engine;
    return {
      baseUrl: `http://127.0.0.1:${server.port}`,
      keys,
      logs,
      worker: started,
      workerConnections,
      ...(startedEngine ? { engine: startedEngine } : {}),
      stop: async () => {
        await server.close();
        workerConnections.destroy();
        await startedEngine?.stop();
        await started.terminate();
      },
    };
  } catch (error) {
    await server.close();
    connections?.destroy();
    await engine?.stop();
    await worker?.terminate();
    throw error;
  }
}
