/**
 * The runner's side of a framework worker process: starts it, sends one request at a time, and
 * turns every failure (an error reply, a malformed message, the process dying) into a `BenchError`
 * that names the framework.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BenchError } from '../bench-error';
import type { ModelEndpoint } from '../frameworks/framework-under-test';
import { FRAMEWORKS } from '../frameworks/registry';
import type { ScenarioName } from '../scenario/scenarios';
import {
  type MemorySnapshot,
  type WorkerReply,
  WorkerReplySchema,
  type WorkerRequest,
} from './worker-protocol';

type ReplyOf<T extends WorkerReply['type']> = Extract<WorkerReply, { type: T }>;

/** The longest any request may take (a batch of 200 runs of the slowest peer takes about 10 s here). */
const REQUEST_DEADLINE_MS = 300_000;

interface Pending {
  resolve: (reply: WorkerReply) => void;
  reject: (error: Error) => void;
}

/** A running framework worker process. */
export class FrameworkWorkerHandle {
  readonly name: string;
  readonly #child: ChildProcess;
  #pending: Pending | undefined;
  #exited: Error | undefined;

  private constructor(name: string, child: ChildProcess) {
    this.name = name;
    this.#child = child;
    child.on('message', (message: unknown) => this.#receive(message));
    child.on('exit', (code, signal) => {
      this.#exited = new BenchError(
        'worker_failed',
        `The worker of framework ${name} exited (code ${String(code)}, signal ${String(signal)}).`,
      );
      this.#settle((pending) => pending.reject(this.#exited!));
    });
  }

  /**
   * Starts the worker of framework `name` (a registry name) with TypeScript support and the Node
   * options the framework is deployed with.
   */
  static start(name: string): FrameworkWorkerHandle {
    const tsx = pathToFileURL(require.resolve('tsx')).href;
    const child = fork(join(__dirname, 'framework-worker.ts'), [name], {
      // An unknown name fails in the worker's setup, which names it; no options for it here.
      execArgv: [...(FRAMEWORKS.find((entry) => entry.name === name)?.nodeOptions ?? []), '--import', tsx],
      // The peers read these: no tracing exporter may try to reach the internet.
      env: { ...process.env, OPENAI_AGENTS_DISABLE_TRACING: '1', LANGSMITH_TRACING: 'false' },
      // The worker's stdout goes to the runner's stderr: stdout carries only the report, and a
      // framework may print (durable-handoff's app prints the model it uses at start-up).
      stdio: ['ignore', 2, 'inherit', 'ipc'],
    });
    return new FrameworkWorkerHandle(name, child);
  }

  /** Loads the framework and sets it up against the model server. */
  setup(endpoint: ModelEndpoint): Promise<ReplyOf<'ready'>> {
    return this.#ask({ type: 'setup', endpoint }, 'ready');
  }

  /** One timed run. */
  run(scenario: ScenarioName): Promise<ReplyOf<'ran'>> {
    return this.#ask({ type: 'run', scenario }, 'ran');
  }

  /** `concurrency` runs started together, timed as a batch. */
  batch(scenario: ScenarioName, concurrency: number): Promise<ReplyOf<'batch_done'>> {
    return this.#ask({ type: 'batch', scenario, concurrency }, 'batch_done');
  }

  async memory(): Promise<MemorySnapshot> {
    return (await this.#ask({ type: 'memory' }, 'memory')).memory;
  }

  /** Tears the framework down and waits for the process to exit; kills it if it does not within `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.#exited !== undefined) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    const deadline = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    try {
      await this.#ask({ type: 'teardown' }, 'torn_down').catch(() => this.#child.kill('SIGKILL'));
      await exited;
    } finally {
      clearTimeout(deadline);
    }
  }

  async #ask<T extends WorkerReply['type']>(request: WorkerRequest, expected: T): Promise<ReplyOf<T>> {
    if (this.#exited !== undefined) throw this.#exited;
    if (this.#pending !== undefined) {
      throw new BenchError('worker_failed', `Framework ${this.name} was sent a request while busy.`);
    }
    let deadline: NodeJS.Timeout | undefined;
    const reply = await new Promise<WorkerReply>((resolve, reject) => {
      this.#pending = { resolve, reject };
      deadline = setTimeout(() => {
        const late = new BenchError(
          'worker_failed',
          `Framework ${this.name} did not answer ${request.type} within ${REQUEST_DEADLINE_MS} ms.`,
        );
        this.#settle((pending) => pending.reject(late));
      }, REQUEST_DEADLINE_MS);
      this.#child.send(request);
    }).finally(() => clearTimeout(deadline));
    if (reply.type === 'failed') {
      throw new BenchError(
        'framework_failed',
        `Framework ${this.name} failed on ${request.type}: ${reply.message}`,
      );
    }
    if (reply.type !== expected) {
      throw new BenchError(
        'worker_failed',
        `Framework ${this.name} answered ${request.type} with ${reply.type}, expected ${expected}.`,
      );
    }
    return reply as ReplyOf<T>;
  }

  #receive(message: unknown): void {
    const parsed = WorkerReplySchema.safeParse(message);
    if (!parsed.success) {
      const problem = new BenchError(
        'worker_failed',
        `Framework ${this.name} sent a malformed message: ${parsed.error.message}`,
      );
      this.#settle((pending) => pending.reject(problem));
      return;
    }
    this.#settle((pending) => pending.resolve(parsed.data));
  }

  #settle(action: (pending: Pending) => void): void {
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending !== undefined) action(pending);
  }
}
