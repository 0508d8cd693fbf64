/**
 * The durable conformance fixture app on the local host with either engine, driven over HTTP only
 * (durable-functions' own client through the fixture's clientOp function, and the management API),
 * so one scenario runs unchanged on the emulation and on Microsoft's extension.
 */
import path from 'node:path';
import { startHost, type EngineKind, type RunningHost } from '../../../devhost/host';
import type { LogEntry } from '../../../devhost/log';
import { dtfxAvailability } from '../../../devhost/real-engine/dtfx-build';

/** The conformance fixture app. */
export const CONFORMANCE_APP = path.join(__dirname, '../../fixtures/apps/durable-conformance');

/** Why the real engine cannot run here, or undefined when it can. */
export function dtfxSkipReason(): string | undefined {
  const available = dtfxAvailability();
  return available.ok ? undefined : available.reason;
}

/** The pid of the .NET engine a `dtfx` host printed when it started it (`.NET process <pid>`). */
export function enginePidIn(hostOutput: string): number {
  const pid = Number(/\.NET process (\d+)/.exec(hostOutput)?.[1]);
  expect(pid).toBeGreaterThan(0);
  return pid;
}

/** The engines to run a suite on: both where .NET and the build exist, else the emulation only. */
export function enginesHere(): EngineKind[] {
  const reason = dtfxSkipReason();
  if (reason) {
    // A skip that says why (CI has .NET and runs them).
    console.warn(`Real-engine (dtfx) cases skipped: ${reason}`);
    return ['emulated'];
  }
  return ['emulated', 'dtfx'];
}

/** A status as the management API answers it. */
export interface ApiStatus {
  name: string;
  instanceId: string;
  runtimeStatus: string;
  input: unknown;
  output: unknown;
  customStatus: unknown;
  historyEvents?: Record<string, unknown>[];
}

/** A started host with the helpers the scenarios use. */
export interface EngineHost {
  engine: EngineKind;
  host: RunningHost;
  logs: LogEntry[];
  /** Calls the fixture's clientOp function (one durable-functions client call). */
  clientOp(op: string, args: unknown): Promise<{ status: number; body: unknown; headers: Headers }>;
  /** GET …/instances/<id> (with `query`), or undefined on 404. */
  status(instanceId: string, query?: string): Promise<ApiStatus | undefined>;
  /** Polls the status until `predicate` holds (deadline 60 s; the real engine polls queues). */
  waitFor(instanceId: string, predicate: (s: ApiStatus) => boolean, what: string): Promise<ApiStatus>;
  /** Waits for Completed, Failed or Terminated. */
  finished(instanceId: string): Promise<ApiStatus>;
  /** Starts an orchestration through the client and returns its id. */
  start(name: string, input: unknown, instanceId?: string): Promise<string>;
  stop(): Promise<void>;
}

const FINISHED = new Set(['Completed', 'Failed', 'Terminated']);
const DEADLINE_MS = 60_000;

/**
 * Starts the conformance app (or another fixture app that registers its `clientOp` function) on
 * `engine` with an in-memory Azurite.
 */
export async function startEngineHost(engine: EngineKind, appDir = CONFORMANCE_APP): Promise<EngineHost> {
  const logs: LogEntry[] = [];
  const host = await startHost({
    appDir,
    port: 0,
    storage: 'memory',
    engine,
    log: (entry) => void logs.push(entry),
  });
  const api = `${host.baseUrl}/runtime/webhooks/durabletask`;

  async function clientOp(op: string, args: unknown) {
    const res = await fetch(`${host.baseUrl}/api/client/${op}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-functions-key': host.functionKey },
      body: JSON.stringify(args),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: text ? (JSON.parse(text) as unknown) : undefined,
      headers: res.headers,
    };
  }

  async function status(instanceId: string, query = '') {
    const res = await fetch(`${api}/instances/${encodeURIComponent(instanceId)}${query}`, {
      headers: { 'x-functions-key': host.masterKey },
    });
    if (res.status === 404) return undefined;
    return (await res.json()) as ApiStatus;
  }

  async function waitFor(instanceId: string, predicate: (s: ApiStatus) => boolean, what: string) {
    const deadline = Date.now() + DEADLINE_MS;
    let last: ApiStatus | undefined;
    while (Date.now() < deadline) {
      last = await status(instanceId);
      if (last && predicate(last)) return last;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(
      `${engine}: ${instanceId} did not reach "${what}" within ${DEADLINE_MS} ms; last status: ${JSON.stringify(last)}`,
    );
  }

  return {
    engine,
    host,
    logs,
    clientOp,
    status,
    waitFor,
    finished: (id) => waitFor(id, (s) => FINISHED.has(s.runtimeStatus), 'finished'),
    async start(name, input, instanceId) {
      const res = await clientOp('start', { name, input, ...(instanceId ? { instanceId } : {}) });
      if (res.status !== 200)
        throw new Error(`${engine}: start ${name} answered ${res.status}: ${JSON.stringify(res.body)}`);
      return (res.body as { id: string }).id;
    },
    stop: () => host.stop(),
  };
}

/**
 * The host of `engine` (on `appDir`) for the calling describe block: started before its tests, with
 * the time the real engine's start takes, and stopped after them. Call the function returned in
 * the tests.
 */
export function useEngineHost(engine: EngineKind, appDir = CONFORMANCE_APP): () => EngineHost {
  let started: EngineHost | undefined;
  beforeAll(async () => {
    started = await startEngineHost(engine, appDir);
  }, 180_000);
  afterAll(async () => {
    await started?.stop();
  });
  return () => {
    if (started === undefined)
      throw new Error(`the ${engine} engine host is used before beforeAll started it`);
    return started;
  };
}
