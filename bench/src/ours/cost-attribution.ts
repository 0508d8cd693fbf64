/**
 * Splits the main thread's busy time of a process hosting the app on the local host between
 * whose code asked for it: the app (everything the local host's worker runs for an invocation: the
 * orchestrator's episodes, the activities, the HTTP functions, with the packages they call), the
 * local host (its HTTP front door and its emulated durable engine), and the bench's own client
 * code. It also counts the HTTP requests each of them sends, by destination.
 *
 * How: every async resource (promise, socket, timer) inherits the area of the code that created
 * it (`async_hooks` `init`), and the time between a resource's `before` and `after` callbacks is
 * charged to its area, so the work an app invocation starts stays the app's across every `await`.
 * An invocation of the app is entered through `AppWorker.invoke` (and its start-up, where the
 * app's HTTP stream proxy starts listening, through `AppWorker.start`); both are wrapped on the
 * loaded module, so nothing in the product is changed to be measured. Hooks slow promise-heavy
 * code down, so a measurement takes the absolute CPU from runs without them and only the shares
 * from runs with them.
 */
import { AsyncResource, createHook, executionAsyncResource } from 'node:async_hooks';
import diagnosticsChannel from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { performance } from 'node:perf_hooks';

/** Who a piece of work is charged to. */
export type CostArea = 'app:orchestrator' | 'app:activity' | 'app:http' | 'app:other' | 'host' | 'client';

/** Where an HTTP request went. */
export type RequestKind = 'storage' | 'model' | 'host' | 'other';

/** What the attribution counted since it started (or since the last {@link CostAttribution.take}). */
export interface CostTally {
  /** Main-thread busy ms per area (time inside callbacks, measured with `performance.now()`). */
  busyMs: Record<CostArea, number>;
  /** HTTP requests sent, per area and destination. */
  requests: Record<CostArea, Record<RequestKind, number>>;
}

const AREA = Symbol('durable-handoff-bench.cost-area');
type Tagged = { [AREA]?: CostArea };

const AREAS: readonly CostArea[] = [
  'app:orchestrator',
  'app:activity',
  'app:http',
  'app:other',
  'host',
  'client',
];

function emptyTally(): CostTally {
  const requests = {} as CostTally['requests'];
  const busyMs = {} as CostTally['busyMs'];
  for (const area of AREAS) {
    busyMs[area] = 0;
    requests[area] = { storage: 0, model: 0, host: 0, other: 0 };
  }
  return { busyMs, requests };
}

/** The area of the code running now (untagged code is the host's). */
function currentArea(): CostArea {
  return (executionAsyncResource() as Tagged)[AREA] ?? 'host';
}

/** Runs `fn` with everything it starts charged to `area`. */
export function runCharged<T>(area: CostArea, fn: () => T): T {
  const resource = new AsyncResource('DurableHandoffBenchCostArea') as AsyncResource & Tagged;
  resource[AREA] = area;
  return resource.runInAsyncScope(fn);
}

/**
 * How a request's destination is told apart: storage requests go to Azurite's development account
 * (their path starts with `/devstoreaccount1`), the rest by port. `other` is, e.g., the front
 * door's hop to the app's HTTP stream proxy.
 */
export interface RequestClassifier {
  /** Port of the model server. */
  modelPort: number;
  /** Port of the local host (its front door and management API). */
  hostPort: number;
  /**
   * Port of the durable engine's RPC listener (the binding's `rpcBaseUrl`), where the app's own
   * durable client sends the management API requests since it calls it directly; counted as `host`.
   */
  rpcPort?: number | undefined;
  /** Called for every request with what it was charged to (for diagnostics). */
  onRequest?(area: CostArea, kind: RequestKind, method: string, path: string): void;
}

const STORAGE_PATH = /^\/devstoreaccount1(\/|$|\?)/;

/** An attribution in progress. */
export interface CostAttribution {
  /** What was counted since the previous call (or the start); then starts again from zero. */
  take(): CostTally;
  /** Removes the hooks and the channel subscriptions. */
  stop(): void;
}

/**
 * Starts attributing this process's main-thread time and HTTP requests. Wrap the app's entry
 * points with {@link chargeAppWorker} first, and the bench's own calls with {@link runCharged}.
 */
export function startCostAttribution(classify: RequestClassifier): CostAttribution {
  let tally = emptyTally();
  // The areas of the callbacks running now, innermost last; time outside every callback is not charged.
  const stack: CostArea[] = [];
  let since = performance.now();
  const charge = (): void => {
    const now = performance.now();
    const area = stack.at(-1);
    if (area !== undefined) tally.busyMs[area] += now - since;
    since = now;
  };
  const hook = createHook({
    init(_id, _type, _trigger, resource) {
      const area = (executionAsyncResource() as Tagged)[AREA];
      if (area !== undefined && (resource as Tagged)[AREA] === undefined) (resource as Tagged)[AREA] = area;
    },
    before() {
      charge();
      stack.push(currentArea());
    },
    after() {
      charge();
      stack.pop();
    },
  });
  const count = (port: number, method: string, path: string): void => {
    const kind: RequestKind = STORAGE_PATH.test(path)
      ? 'storage'
      : port === classify.modelPort
        ? 'model'
        : port === classify.hostPort || port === classify.rpcPort
          ? 'host'
          : 'other';
    const area = currentArea();
    tally.requests[area][kind] += 1;
    classify.onRequest?.(area, kind, method, path);
  };
  const onNodeRequest = (message: unknown): void => {
    const request = (message as { request: ClientRequest }).request;
    count(portOfHost(String(request.getHeader('host') ?? '')), request.method, request.path);
  };
  const onUndiciRequest = (message: unknown): void => {
    const request = (message as { request: { origin?: unknown; method?: unknown; path?: unknown } }).request;
    const port = Number(/:(\d+)$/.exec(String(request.origin ?? ''))?.[1] ?? 0);
    count(port, String(request.method), String(request.path));
  };
  hook.enable();
  diagnosticsChannel.subscribe('http.client.request.start', onNodeRequest);
  diagnosticsChannel.subscribe('undici:request:create', onUndiciRequest);
  return {
    take() {
      const taken = tally;
      tally = emptyTally();
      return taken;
    },
    stop() {
      hook.disable();
      diagnosticsChannel.unsubscribe('http.client.request.start', onNodeRequest);
      diagnosticsChannel.unsubscribe('undici:request:create', onUndiciRequest);
    },
  };
}

function portOfHost(host: string | undefined): number {
  return Number(/:(\d+)$/.exec(host ?? '')?.[1] ?? 0);
}

/** The part of the worker's surface that is wrapped: `invoke`, and the static `start`. */
interface AppWorkerClass {
  start(...args: unknown[]): Promise<unknown>;
  prototype: {
    invoke(name: string, ...rest: unknown[]): Promise<unknown>;
    get(name: string): { triggerType?: string } | undefined;
  };
}

/**
 * Charges what the local host's worker runs to the app: each invocation by its trigger (an
 * orchestrator episode, an activity, an HTTP function), and the app's start-up (its HTTP stream
 * proxy server, whose connections then inherit the app's area). Returns a function that undoes it.
 */
export function chargeAppWorker(workerClass: AppWorkerClass): () => void {
  const { start } = workerClass;
  const { invoke } = workerClass.prototype;
  workerClass.start = function chargedStart(this: unknown, ...args: unknown[]) {
    // Start-up is not measured; what it charges is the app's HTTP stream proxy server, whose
    // connections (the HTTP functions' requests) inherit the area.
    return runCharged('app:http', () => start.apply(this, args));
  };
  workerClass.prototype.invoke = function chargedInvoke(this: AppWorkerClass['prototype'], name, ...rest) {
    const trigger = this.get(name)?.triggerType;
    const area: CostArea =
      trigger === 'orchestrationTrigger'
        ? 'app:orchestrator'
        : trigger === 'activityTrigger'
          ? 'app:activity'
          : trigger === 'httpTrigger'
            ? 'app:http'
            : 'app:other';
    return runCharged(area, () => invoke.call(this, name, ...rest));
  };
  return () => {
    workerClass.start = start;
    workerClass.prototype.invoke = invoke;
  };
}

/** The app's share of a tally: the busy ms of every `app:*` area. */
export function appBusyMs(tally: CostTally): number {
  return AREAS.filter((area) => area.startsWith('app:')).reduce((sum, area) => sum + tally.busyMs[area], 0);
}

/** Every area's busy ms together. */
export function totalBusyMs(tally: CostTally): number {
  return AREAS.reduce((sum, area) => sum + tally.busyMs[area], 0);
}

/** Requests of one destination sent by the app's areas together. */
export function appRequests(tally: CostTally, kind: RequestKind): number {
  return AREAS.filter((area) => area.startsWith('app:')).reduce(
    (sum, area) => sum + tally.requests[area][kind],
    0,
  );
}

export { AREAS as COST_AREAS };
