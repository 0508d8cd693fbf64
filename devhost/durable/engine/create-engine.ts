/**
 * The durable engine: the Durable Task extension of the local host, composed from the episode
 * runner, the work scheduler, the timer service, the in-process client and the management API.
 */
import type {
  Clock,
  DurableEngineHandle,
  FunctionInvoker,
  HostHttpRequest,
  HostHttpResponse,
} from '../../contracts';
import { DevhostError } from '../../errors';
import { silentLogSink, type LogSink } from '../../log';
import { realClock } from '../clock/real-clock';
import { createInProcessClient, type InProcessClient } from '../client/in-process-client';
import type { OperationsDeps } from '../client/instance-operations';
import { handleManagementRequest } from '../management/handle-request';
import type { ManagementDeps } from '../management/management-deps';
import { clientBindingPayload } from '../management/management-urls';
import type { OrchestrationRecording } from '../replay/recording';
import { DEFAULT_DURABLE_SETTINGS, type DurableSettings } from '../settings';
import type { InstanceRecord, InstanceStore } from '../store/instance-store';
import { ownedStore } from '../store/owned-store';
import { runActivity } from './activity-runner';
import { EpisodeRunner, type TaskWork, type TimerWork } from './episode-runner';
import { Recorder } from './recorder';
import { recover } from './recovery';
import { stoppableStore } from './stoppable-store';
import { TimerService } from './timer-service';
import { WorkScheduler } from './work-scheduler';

/** How long a stop waits for work in flight by default: an agent turn's model call usually ends by then. */
export const DEFAULT_STOP_TIMEOUT_MS = 15_000;

/** Options of {@link createDurableEngine}. */
export interface DurableEngineOptions {
  /** Invokes the app's functions (the worker). */
  invoker: FunctionInvoker;
  /** `createMemoryStore()` or `await createTableStore({ connectionString, hubName })`. */
  store: InstanceStore;
  /** Default: the wall clock. Pass a `VirtualClock` to drive timers from a test. */
  clock?: Clock;
  /** From host.json `extensions.durableTask` (see `parseDurableSettings`). */
  settings?: Partial<DurableSettings>;
  /** Origin of the front door, e.g. `http://localhost:7071`. */
  baseUrl: string;
  /**
   * The key the front door's management API requires (the master key): the management URLs the
   * engine hands out carry it as `code=`. Undefined when the API is open.
   */
  managementKey?: string;
  /** The client RPC base the worker's durable client calls; default `<baseUrl>/durabletask/`. */
  rpcBaseUrl?: string;
  log?: LogSink;
  /** How long `stop()` waits for running episodes and activities (default 15 s). */
  stopTimeoutMs?: number;
  /**
   * Keep every episode's payload and result in memory for `recording()` (default true). A
   * long-running host can turn it off to bound memory.
   */
  record?: boolean;
}

/** The engine. */
export interface DurableEngine extends DurableEngineHandle {
  /**
   * Recovers unfinished work from the store, then dispatches. Client calls made before it are
   * kept and run afterwards. An engine starts once.
   */
  start(): Promise<void>;
  /**
   * Stops dispatching and waits (bounded) for running work, which may still write its results (an
   * activity that completes is recorded, and does not run again after a restart); it says on the
   * log what it waits for and what it abandons. Nothing is written after it resolves.
   */
  stop(): Promise<void>;
  /** The in-process client (same semantics as the HTTP API). */
  readonly client: InProcessClient;
  /**
   * Resolves when nothing is runnable: no episode or activity queued or running, only future timers
   * and waits left. Call it after `start()` (before, queued work never runs).
   */
  idle(): Promise<void>;
  /** Every execution of an instance, with each episode's payload and orchestrator result. */
  recording(instanceId: string): Promise<OrchestrationRecording>;
  /** The settings in effect. */
  readonly settings: DurableSettings;
}

function originOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).origin;
  } catch {
    throw new DevhostError(
      'invalid_option',
      `baseUrl "${baseUrl}" is not an absolute URL; use e.g. http://localhost:7071.`,
    );
  }
}

/**
 * Creates the durable engine.
 *
 * @example
 * const worker = await AppWorker.start({ appDir, log });
 * const engine = createDurableEngine({
 *   invoker: worker,
 *   store: createMemoryStore(),
 *   settings: parseDurableSettings(hostJson),
 *   baseUrl: 'http://localhost:7071',
 * });
 * await engine.start();
 * const id = await engine.client.startNew('helloSequence', { input: 'Tokyo' });
 * const done = await engine.client.waitFor(id, (s) => s.runtimeStatus === 'Completed');
 */
export function createDurableEngine(options: DurableEngineOptions): DurableEngine {
  const settings: DurableSettings = { ...DEFAULT_DURABLE_SETTINGS, ...options.settings };
  const origin = originOf(options.baseUrl);
  const clock = options.clock ?? realClock();
  const log = options.log ?? silentLogSink;
  let state: 'created' | 'running' | 'stopping' | 'stopped' = 'created';
  // The engine owns its task hub: it keeps what it wrote instead of reading it back.
  const store = stoppableStore(ownedStore(options.store), () => state === 'stopped');
  const listeners = new Map<string, Set<() => void>>();
  const recorder = new Recorder(options.record ?? true);

  const logError = (what: string) => (error: unknown) => {
    const message =
      typeof (error as Error | undefined)?.message === 'string' ? (error as Error).message : String(error);
    if (state !== 'stopped')
      log({ level: 'error', category: 'system', message: `Durable engine: ${what}: ${message}` });
  };
  const changed = (record: InstanceRecord): void => {
    for (const listener of listeners.get(record.instanceId) ?? []) listener();
  };

  const scheduler = new WorkScheduler({
    maxEpisodes: settings.maxConcurrentOrchestratorFunctions,
    maxActivities: settings.maxConcurrentActivityFunctions,
    runEpisode: (instanceId) => runner.runEpisode(instanceId),
    onEpisodeError: (instanceId, error) =>
      logError(`episode of instance ${instanceId} failed (will retry)`)(error),
  });
  const background = (work: Promise<void>): void => {
    void scheduler.track(work.catch(logError('background storage work failed')));
  };
  const timers = new TimerService({
    store,
    clock,
    track: (work) => void scheduler.track(work),
    fired: (instanceId) => scheduler.requestEpisode(instanceId),
    onError: logError('storing a fired timer failed'),
  });
  const activityDeps = {
    store,
    invoker: options.invoker,
    clock,
    log,
    isRunning: () => state === 'running',
    completed: (instanceId: string) => scheduler.requestEpisode(instanceId),
  };
  const dispatch = (
    instanceId: string,
    executionId: string,
    tasks: TaskWork[],
    timerWork: TimerWork[],
  ): void => {
    for (const task of tasks) {
      scheduler.enqueueActivity({
        key: `${instanceId}|${executionId}|${task.taskId}`,
        instanceId,
        label: `activity ${task.name} of instance ${instanceId}`,
        run: () =>
          runActivity(activityDeps, instanceId, executionId, task).catch(
            logError(`activity ${task.name} of ${instanceId}`),
          ),
      });
    }
    for (const timer of timerWork) timers.arm(instanceId, executionId, timer.timerId, timer.fireAt);
  };
  const runner = new EpisodeRunner({
    store,
    invoker: options.invoker,
    clock,
    settings,
    log,
    recorder,
    dispatch,
    changed,
    background,
  });

  const operations: OperationsDeps = {
    store,
    invoker: options.invoker,
    clock,
    requestEpisode: (instanceId) => scheduler.requestEpisode(instanceId),
    changed,
    forget: (instanceId) => {
      runner.forget(instanceId);
      recorder.reset(instanceId);
    },
    background,
    ...(settings.defaultVersion === undefined ? {} : { defaultVersion: settings.defaultVersion }),
  };
  const client = createInProcessClient({
    ...operations,
    subscribe(instanceId, listener) {
      const set = listeners.get(instanceId) ?? new Set();
      set.add(listener);
      listeners.set(instanceId, set);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(instanceId);
      };
    },
    isStopped: () => state === 'stopped',
  });
  const management: ManagementDeps = {
    ...operations,
    hubName: settings.hubName,
    ...(options.managementKey === undefined ? {} : { managementKey: options.managementKey }),
    waitFor: (instanceId, predicate, waitOptions) => client.waitFor(instanceId, predicate, waitOptions),
  };

  // The same for every invocation with a durable client binding: built once.
  const clientJson = clientBindingPayload(origin, settings.hubName, {
    ...(options.managementKey === undefined ? {} : { code: options.managementKey }),
    ...(options.rpcBaseUrl === undefined ? {} : { rpcBaseUrl: options.rpcBaseUrl }),
  });

  return {
    settings,
    client,
    async start() {
      if (state !== 'created') return;
      await recover({ store, log, requestEpisode: (id) => scheduler.requestEpisode(id), dispatch });
      state = 'running';
      scheduler.open();
    },
    async stop() {
      if (state === 'stopped' || state === 'stopping') return;
      // Writes stay open while in-flight work finishes: its results are kept, not paid for again.
      state = 'stopping';
      timers.stop();
      const timeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
      const inFlight = scheduler.running();
      if (inFlight.length > 0) {
        log({
          level: 'information',
          category: 'system',
          message: `Stopping: waiting up to ${Math.ceil(timeoutMs / 1000)} s for ${inFlight.length} in flight (${inFlight.join('; ')}); nothing new starts.`,
        });
      }
      const abandoned = await scheduler.stop(timeoutMs);
      state = 'stopped';
      // Waits for a state no instance reaches any more end now, not at their deadlines.
      for (const set of [...listeners.values()]) for (const listener of [...set]) listener();
      if (abandoned.length > 0) {
        log({
          level: 'warning',
          category: 'system',
          message: `Stopping: abandoned ${abandoned.join('; ')} after ${Math.ceil(timeoutMs / 1000)} s; it runs again when the host starts again.`,
        });
      } else if (inFlight.length > 0) {
        log({ level: 'information', category: 'system', message: 'Stopping: the work in flight finished.' });
      }
    },
    idle: () => scheduler.idle(),
    recording(instanceId) {
      const recording = recorder.get(instanceId);
      if (!recording) {
        return Promise.reject(
          new DevhostError(
            'instance_not_found',
            `No recording of instance '${instanceId}': this engine never ran it.`,
          ),
        );
      }
      return Promise.resolve(recording);
    },
    clientBindingPayload: () => clientJson,
    handleManagementRequest: (path: string, request: HostHttpRequest): Promise<HostHttpResponse> =>
      handleManagementRequest(management, log, path, request),
  };
}
