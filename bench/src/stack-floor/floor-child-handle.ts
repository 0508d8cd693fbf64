/**
 * The tool's side of one subject's process (`floor-child.ts`): starts it with TypeScript support
 * (and the Node options the bench gives the subject), sends one request at a time, and turns an
 * error reply, a malformed message or the process's exit into a `BenchError` naming the subject.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BenchError } from '../bench-error';
import { FRAMEWORKS } from '../frameworks/registry';
import type { ModelEndpoint } from '../frameworks/framework-under-test';
import { type FloorReply, FloorReplySchema, type FloorRequest, type FloorSubject } from './floor-protocol';

type ReplyOf<T extends FloorReply['type']> = Extract<FloorReply, { type: T }>;

/** A 200-run batch of the slowest subject takes well under a minute here. */
const REQUEST_DEADLINE_MS = 300_000;

/** A running subject process. */
export class FloorChildHandle {
  readonly #child: ChildProcess;
  #waiting: ((reply: FloorReply | Error) => void) | undefined;
  #exited: Error | undefined;

  private constructor(readonly subject: FloorSubject) {
    const tsx = pathToFileURL(require.resolve('tsx')).href;
    this.#child = fork(join(__dirname, 'floor-child.ts'), [subject], {
      execArgv: [...(FRAMEWORKS.find((entry) => entry.name === subject)?.nodeOptions ?? []), '--import', tsx],
      // The peers read these: no tracing exporter may try to reach the internet.
      env: { ...process.env, OPENAI_AGENTS_DISABLE_TRACING: '1', LANGSMITH_TRACING: 'false' },
      stdio: ['ignore', 2, 'inherit', 'ipc'],
    });
    this.#child.on('message', (message: unknown) => {
      const parsed = FloorReplySchema.safeParse(message);
      this.#settle(
        parsed.success
          ? parsed.data
          : new BenchError('worker_failed', `${subject} sent a malformed message: ${parsed.error.message}`),
      );
    });
    this.#child.on('exit', (code, signal) => {
      this.#exited = new BenchError(
        'worker_failed',
        `${subject}'s process exited (code ${code}, signal ${signal}).`,
      );
      this.#settle(this.#exited);
    });
  }

  /** Starts the subject's process and sets the subject up against the model server. */
  static async start(subject: FloorSubject, endpoint: ModelEndpoint): Promise<FloorChildHandle> {
    const handle = new FloorChildHandle(subject);
    await handle.ask({ type: 'setup', endpoint }, 'ready');
    return handle;
  }

  async ask<T extends FloorReply['type']>(request: FloorRequest, expected: T): Promise<ReplyOf<T>> {
    if (this.#exited !== undefined) throw this.#exited;
    let deadline: NodeJS.Timeout | undefined;
    const reply = await new Promise<FloorReply | Error>((resolve) => {
      this.#waiting = resolve;
      deadline = setTimeout(
        () =>
          this.#settle(
            new BenchError('worker_failed', `${this.subject} did not answer ${request.type} in time.`),
          ),
        REQUEST_DEADLINE_MS,
      );
      this.#child.send(request);
    }).finally(() => clearTimeout(deadline));
    if (reply instanceof Error) throw reply;
    if (reply.type === 'failed') {
      throw new BenchError('framework_failed', `${this.subject} failed on ${request.type}: ${reply.message}`);
    }
    if (reply.type !== expected) {
      throw new BenchError('worker_failed', `${this.subject} answered ${request.type} with ${reply.type}.`);
    }
    return reply as ReplyOf<T>;
  }

  /** Tears the subject down and waits for its process to end; kills it after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.#exited !== undefined) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    const deadline = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    try {
      await this.ask({ type: 'teardown' }, 'torn_down').catch(() => this.#child.kill('SIGKILL'));
      await exited;
    } finally {
      clearTimeout(deadline);
    }
  }

  #settle(reply: FloorReply | Error): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.(reply);
  }
}
