import path from 'node:path';
import { createDurableEngine, createMemoryStore, type DurableEngine } from '../../../devhost/durable';
import {
  buildRouteTable,
  createFrontDoor,
  FrontDoorServer,
  loadHostKeys,
  type HostKeys,
} from '../../../devhost/http';
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
  stop(): Promise<void>;
}

/** Loads `appDir` and serves it on a free port; `stop()` closes the server and the worker. */
export async function serveApp(
  appDir: string,
  options: { routePrefix?: string; maxRequestBodyBytes?: number; withDurableEngine?: boolean } = {},
): Promise<ServedApp> {
  const logs: LogEntry[] = [];
  const log = (entry: LogEntry) => logs.push(entry);
  const server = await FrontDoorServer.listen(0);
  let worker: AppWorker | undefined;
  let engine: DurableEngine | undefined;
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
    server.setHandler(
      createFrontDoor({
        invoker: worker,
        routes: buildRouteTable(worker.list(), options.routePrefix ?? 'api', log),
        keys,
        log,
        ...(worker.capabilities.HttpUri ? { httpUri: worker.capabilities.HttpUri } : {}),
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
      ...(startedEngine ? { engine: startedEngine } : {}),
      stop: async () => {
        await server.close();
        await startedEngine?.stop();
        await started.terminate();
      },
    };
  } catch (error) {
    await server.close();
    await engine?.stop();
    await worker?.terminate();
    throw error;
  }
}
