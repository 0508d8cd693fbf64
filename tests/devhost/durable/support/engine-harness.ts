import fs from 'node:fs';
import path from 'node:path';
import type { RpcParameterBinding } from '../../../../devhost/contracts';
import {
  createDurableEngine,
  createMemoryStore,
  parseDurableSettings,
  VirtualClock,
  type DurableEngine,
  type InstanceStatus,
  type InstanceStore,
} from '../../../../devhost/durable';
import type { LogEntry } from '../../../../devhost/log';
import { AppWorker } from '../../../../devhost/worker/app-worker';
import { startManagementServer, type ManagementServer } from './management-server';
import { realProcess } from './real-process';

/** The conformance fixture app. */
export const FIXTURE_APP = path.join(__dirname, '../../../fixtures/apps/durable-conformance');

/** Everything a conformance scenario drives. */
export interface EngineHarness {
  engine: DurableEngine;
  clock: VirtualClock;
  worker: AppWorker;
  server: ManagementServer;
  logs: LogEntry[];
  /** Waits until nothing is runnable. */
  settle(): Promise<void>;
  /** Advances the virtual clock and waits until nothing is runnable. */
  advance(ms: number): Promise<void>;
  /** Waits for a status that satisfies `predicate` (named deadline: 10 s). */
  waitFor(instanceId: string, predicate: (s: InstanceStatus) => boolean): Promise<InstanceStatus>;
  /** Waits for a finished instance. */
  finished(instanceId: string): Promise<InstanceStatus>;
  /** Invokes the fixture's `clientOp` HTTP function (a DurableClient call) and returns its JSON. */
  clientOp(
    op: string,
    args: unknown,
  ): Promise<{ status: number; headers: Record<string, string>; body: unknown }>;
  stop(): Promise<void>;
}

const FINISHED = new Set(['Completed', 'Failed', 'Terminated', 'Canceled']);
const WAIT_DEADLINE_MS = 10_000;

/** Starts the fixture app, an engine over `store` on a virtual clock, and a management server. */
export async function startHarness(store: InstanceStore = createMemoryStore()): Promise<EngineHarness> {
  const logs: LogEntry[] = [];
  const log = (entry: LogEntry): void => {
    logs.push(entry);
  };
  const worker = await AppWorker.start({ appDir: FIXTURE_APP, log });
  const holder: { engine?: DurableEngine } = {};
  const server = await startManagementServer({
    handleManagementRequest: (p, r) => holder.engine!.handleManagementRequest(p, r),
  });
  // getClient() rewrites management URLs to localhost:7071 unless WEBSITE_HOSTNAME is set.
  realProcess().env.WEBSITE_HOSTNAME = `localhost:${server.port}`;
  const clock = new VirtualClock(new Date('2026-01-01T00:00:00.000Z'));
  const hostJson: unknown = JSON.parse(fs.readFileSync(path.join(FIXTURE_APP, 'host.json'), 'utf8'));
  const engine = createDurableEngine({
    invoker: worker,
    store,
    clock,
    settings: parseDurableSettings(hostJson),
    baseUrl: server.origin,
    log,
  });
  holder.engine = engine;
  await engine.start();

  const clientFn = worker.get('clientOp')!;
  const clientBinding = Object.entries(clientFn.bindings).find(([, b]) => b.type === 'durableClient')![0];

  const harness: EngineHarness = {
    engine,
    clock,
    worker,
    server,
    logs,
    settle: () => engine.idle(),
    async advance(ms) {
      clock.advance(ms);
      await engine.idle();
    },
    waitFor: (instanceId, predicate) =>
      engine.client.waitFor(instanceId, predicate, { timeoutMs: WAIT_DEADLINE_MS }),
    finished: (instanceId) =>
      engine.client.waitFor(instanceId, (s) => FINISHED.has(s.runtimeStatus), {
        timeoutMs: WAIT_DEADLINE_MS,
      }),
    async clientOp(op, args) {
      const url = `${server.origin}/api/client/${op}`;
      const inputData: RpcParameterBinding[] = [
        {
          name: clientFn.triggerBindingName,
          data: {
            http: {
              method: 'POST',
              url,
              headers: { 'content-type': 'application/json' },
              params: { op },
              query: {},
              body: { bytes: Buffer.from(JSON.stringify(args)) },
            },
          },
        },
        { name: clientBinding, data: { string: engine.clientBindingPayload() } },
      ];
      const outcome = await worker.invoke('clientOp', inputData);
      if (!outcome.ok) throw new Error(`clientOp ${op} failed: ${outcome.error.message}`);
      const http = outcome.returnValue?.http;
      const bytes = http?.body?.bytes;
      const text = bytes ? Buffer.from(bytes).toString('utf8') : '';
      return {
        status: Number(http?.statusCode ?? 200),
        headers: http?.headers ?? {},
        body: text === '' ? undefined : (JSON.parse(text) as unknown),
      };
    },
    async stop() {
      await engine.stop();
      await server.close();
      await worker.terminate();
      delete realProcess().env.WEBSITE_HOSTNAME;
    },
  };
  return harness;
}
