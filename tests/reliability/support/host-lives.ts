/**
 * The successive lives of a child host that a test kills and restarts on the same data folder and
 * port, with the moment each was spawned and killed (the model-call audit needs both).
 */
import { CliHostStartError, startCliHost, type CliHost, type CliHostOptions } from '../../support/cli-host';
import type { HostEpoch } from './charge-audit';

/** How long a clean stop may take before the host is killed anyway. */
const STOP_DEADLINE_MS = 15_000;

/** A host that is started, killed and restarted; one {@link HostEpoch} per start. */
export class HostLives {
  readonly epochs: HostEpoch[] = [];
  /** Output of every life, kept for failure messages. */
  readonly outputs: string[] = [];
  readonly #options: CliHostOptions;
  #current: CliHost | undefined;

  constructor(options: CliHostOptions) {
    this.#options = options;
  }

  /** The running life, if any. */
  get current(): CliHost | undefined {
    return this.#current;
  }

  /**
   * Starts a new life and waits for its banner. A start that fails (a killed predecessor's port not
   * yet released, say) is retried a few times before the error is thrown.
   */
  async start(): Promise<CliHost> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const epoch: HostEpoch = { spawnedAt: Date.now() };
      this.epochs.push(epoch);
      try {
        this.#current = await startCliHost(this.#options);
        return this.#current;
      } catch (error) {
        // The failed life sent nothing; it still counts as an epoch that ended (not killed by us).
        epoch.killedAt = Date.now();
        lastError = error;
        this.outputs.push(error instanceof CliHostStartError ? error.output : String(error));
      }
    }
    throw lastError;
  }

  /**
   * Starts a new life and SIGKILLs it `afterMs` after the spawn, whether or not it has printed its
   * banner by then: a crash while the host loads the app or recovers the previous life's work.
   * Resolves once the process is gone.
   */
  async startAndKill(afterMs: number): Promise<void> {
    const epoch: HostEpoch = { spawnedAt: Date.now() };
    this.epochs.push(epoch);
    const abort = new AbortController();
    const timer = setTimeout(() => {
      epoch.killedAt = Date.now();
      abort.abort();
    }, afterMs);
    try {
      this.#current = await startCliHost({ ...this.#options, signal: abort.signal });
    } catch (error) {
      clearTimeout(timer);
      epoch.killedAt ??= Date.now();
      this.outputs.push(error instanceof CliHostStartError ? error.output : String(error));
      return;
    }
    // Up before the moment came: let it serve until then.
    await new Promise<void>((resolve) => {
      if (abort.signal.aborted) resolve();
      else abort.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await this.kill(epoch.killedAt);
  }

  /** SIGKILLs the running life. The kill time is taken just before the signal. */
  async kill(at: number = Date.now()): Promise<void> {
    const host = this.#current;
    if (!host) return;
    this.#current = undefined;
    const epoch = this.epochs.at(-1);
    if (epoch) epoch.killedAt = at;
    await host.kill('SIGKILL');
    this.outputs.push(host.output());
  }

  /** Stops the running life cleanly (SIGTERM), killing it if it does not exit in time. */
  async stop(): Promise<void> {
    const host = this.#current;
    if (!host) return;
    this.#current = undefined;
    const timer = setTimeout(() => void host.kill('SIGKILL'), STOP_DEADLINE_MS);
    try {
      await host.kill('SIGTERM');
    } finally {
      clearTimeout(timer);
      this.outputs.push(host.output());
    }
  }
}
