/**
 * Runs the engine's work with bounded concurrency: orchestrator episodes (at most one per
 * instance at a time, FIFO across instances) and activities (round-robin across instances, so one
 * large fan-out does not starve the others). Also tracks background work, so `idle()` can tell
 * when nothing is runnable.
 */

const ignore = (): void => undefined;

/**
 * Resolves on the event loop's check phase, after pending I/O. Every episode and activity starts
 * behind one: with the in-memory store a whole chain of episodes and activities would otherwise run
 * as one unbroken series of promise callbacks, and the host would stop answering HTTP and signals
 * until the chain ended.
 */
function afterPendingIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** One activity execution waiting for a slot. */
export interface ActivityJob {
  /** Unique per scheduled task (`<instanceId>|<executionId>|<eventId>`): a job is queued once. */
  key: string;
  instanceId: string;
  /** What it is, for the console when a stop abandons it (`activity X of instance Y`). */
  label?: string;
  run(): Promise<void>;
}

/** Options of {@link WorkScheduler}. */
export interface WorkSchedulerOptions {
  maxEpisodes: number;
  maxActivities: number;
  /** Runs one episode; resolves true when the instance has more work right away. */
  runEpisode(instanceId: string): Promise<boolean>;
  /** Called when an episode throws; the scheduler retries it after a delay that doubles up to 5 s. */
  onEpisodeError(instanceId: string, error: unknown): void;
  /** First retry delay (default 250 ms). */
  retryDelayMs?: number;
}

/** The engine's dispatcher. */
export class WorkScheduler {
  readonly #options: WorkSchedulerOptions;
  #open = false;
  #stopped = false;
  readonly #episodeQueue: string[] = [];
  readonly #queued = new Set<string>();
  readonly #running = new Set<string>();
  readonly #dirty = new Set<string>();
  readonly #activityQueues = new Map<string, ActivityJob[]>();
  readonly #activityRotation: string[] = [];
  readonly #activityKeys = new Set<string>();
  #activitiesRunning = 0;
  readonly #runningJobs = new Set<ActivityJob>();
  #background = 0;
  readonly #retryTimers = new Set<NodeJS.Timeout>();
  readonly #failures = new Map<string, number>();
  readonly #inFlight = new Set<Promise<unknown>>();
  #idleWaiters: Array<() => void> = [];

  constructor(options: WorkSchedulerOptions) {
    this.#options = options;
  }

  /** Starts dispatching (work requested before is kept and runs now). */
  open(): void {
    if (this.#stopped) return;
    this.#open = true;
    this.#pump();
  }

  /** Asks for an episode of `instanceId` (coalesced with a queued or running one). */
  requestEpisode(instanceId: string): void {
    if (this.#stopped) return;
    if (this.#running.has(instanceId)) {
      this.#dirty.add(instanceId);
      return;
    }
    if (this.#queued.has(instanceId)) return;
    this.#queued.add(instanceId);
    this.#episodeQueue.push(instanceId);
    this.#pump();
  }

  /** Queues an activity execution unless the same task is already queued or running. */
  enqueueActivity(job: ActivityJob): void {
    if (this.#stopped || this.#activityKeys.has(job.key)) return;
    this.#activityKeys.add(job.key);
    const queue = this.#activityQueues.get(job.instanceId);
    if (queue) queue.push(job);
    else {
      this.#activityQueues.set(job.instanceId, [job]);
      this.#activityRotation.push(job.instanceId);
    }
    this.#pump();
  }

  /** Counts `work` as busy until it settles (errors are the caller's to handle). */
  track<T>(work: Promise<T>): Promise<T> {
    this.#background += 1;
    const done = work.then(ignore, ignore).finally(() => {
      this.#background -= 1;
      this.#inFlight.delete(done);
      this.#checkIdle();
    });
    this.#inFlight.add(done);
    return work;
  }

  /** True when nothing is queued, running or pending a retry. */
  get isIdle(): boolean {
    return (
      this.#episodeQueue.length === 0 &&
      this.#running.size === 0 &&
      this.#activityRotation.length === 0 &&
      this.#activitiesRunning === 0 &&
      this.#background === 0 &&
      this.#retryTimers.size === 0
    );
  }

  /** Resolves once nothing is runnable (only future timers and waits remain). */
  idle(): Promise<void> {
    if (this.isIdle) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** What runs now: activities (by label) and orchestration episodes. */
  running(): string[] {
    return [
      ...[...this.#runningJobs].map((job) => job.label ?? `an activity of instance ${job.instanceId}`),
      ...[...this.#running].map((instanceId) => `an orchestration episode of instance ${instanceId}`),
    ];
  }

  /**
   * Stops dispatching (nothing new starts) and waits (at most `timeoutMs`) for running work to
   * finish. Returns what still ran at the deadline.
   */
  async stop(timeoutMs: number): Promise<string[]> {
    this.#stopped = true;
    this.#open = false;
    for (const timer of this.#retryTimers) clearTimeout(timer);
    this.#retryTimers.clear();
    this.#episodeQueue.length = 0;
    this.#queued.clear();
    this.#activityQueues.clear();
    this.#activityRotation.length = 0;
    let deadline: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      deadline = setTimeout(resolve, timeoutMs);
    });
    try {
      await Promise.race([Promise.allSettled([...this.#inFlight]), timeout]);
    } finally {
      clearTimeout(deadline);
    }
    this.#checkIdle();
    return this.running();
  }

  #pump(): void {
    if (!this.#open) return;
    while (this.#running.size < this.#options.maxEpisodes && this.#episodeQueue.length > 0) {
      const instanceId = this.#episodeQueue.shift()!;
      this.#queued.delete(instanceId);
      this.#startEpisode(instanceId);
    }
    while (this.#activitiesRunning < this.#options.maxActivities && this.#activityRotation.length > 0) {
      const instanceId = this.#activityRotation.shift()!;
      const queue = this.#activityQueues.get(instanceId)!;
      const job = queue.shift()!;
      if (queue.length > 0) this.#activityRotation.push(instanceId);
      else this.#activityQueues.delete(instanceId);
      this.#startActivity(job);
    }
    this.#checkIdle();
  }

  #startEpisode(instanceId: string): void {
    this.#running.add(instanceId);
    this.#dirty.delete(instanceId);
    const work = afterPendingIo()
      .then(() => (this.#stopped ? false : this.#options.runEpisode(instanceId)))
      .then(
        (more) => {
          this.#running.delete(instanceId);
          this.#failures.delete(instanceId);
          if (more || this.#dirty.delete(instanceId)) this.requestEpisode(instanceId);
        },
        (error: unknown) => {
          this.#running.delete(instanceId);
          this.#dirty.delete(instanceId);
          this.#options.onEpisodeError(instanceId, error);
          this.#retryLater(instanceId);
        },
      )
      .finally(() => this.#pump());
    this.#remember(work);
  }

  #startActivity(job: ActivityJob): void {
    this.#activitiesRunning += 1;
    this.#runningJobs.add(job);
    const work = afterPendingIo()
      .then(() => (this.#stopped ? undefined : job.run()))
      .catch(() => undefined)
      .finally(() => {
        this.#activitiesRunning -= 1;
        this.#runningJobs.delete(job);
        this.#activityKeys.delete(job.key);
        this.#pump();
      });
    this.#remember(work);
  }

  #retryLater(instanceId: string): void {
    if (this.#stopped) return;
    const failures = (this.#failures.get(instanceId) ?? 0) + 1;
    this.#failures.set(instanceId, failures);
    const delay = Math.min((this.#options.retryDelayMs ?? 250) * 2 ** (failures - 1), 5000);
    const timer = setTimeout(() => {
      this.#retryTimers.delete(timer);
      this.requestEpisode(instanceId);
      this.#checkIdle();
    }, delay);
    this.#retryTimers.add(timer);
  }

  #remember(work: Promise<unknown>): void {
    const done = work.then(ignore, ignore).finally(() => {
      this.#inFlight.delete(done);
      this.#checkIdle();
    });
    this.#inFlight.add(done);
  }

  #checkIdle(): void {
    if (!this.isIdle || this.#idleWaiters.length === 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
