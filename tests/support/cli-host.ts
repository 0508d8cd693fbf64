/**
 * This project's app on the local host's CLI (`dist/devhost/cli.js`) in a child process, for tests
 * that kill the host (SIGKILL) and restart it on the same data folder and port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { APP_DIR, PROJECT_DIR } from './app-host';

/** The built CLI; `npm run build` (which `npm test` runs first) produces it. */
export const CLI_PATH = path.join(PROJECT_DIR, 'dist/devhost/cli.js');

/** How the child host is started. */
export interface CliHostOptions {
  /** The port; restarts reuse it. */
  port: number;
  /** The data folder (host keys and the Azurite it reuses). */
  dataDir: string;
  storage: 'azurite' | 'memory';
  /**
   * The durable engine; `emulated` by default, so these tests behave the same with or without .NET
   * (the CLI's own default picks the real engine where it is built).
   */
  engine?: 'dtfx' | 'emulated';
  /** App settings (environment variables) for the app. */
  env: Record<string, string>;
  /** True: the host's environment is `env` alone, nothing inherited from the test process. */
  isolatedEnv?: boolean;
  /** `warning` by default: the banner always prints, retries and failures show up. */
  logLevel?: 'information' | 'warning' | 'error';
  /** How long to wait for the banner; 30 s by default. */
  readyTimeoutMs?: number;
  /** The app folder; this project's sample app by default. */
  appDir?: string;
  /**
   * The script (and its leading arguments) that runs the host, before the host's options; by default
   * the built CLI. A user's app passes its installed command, `node_modules/.bin/durable-handoff host`.
   */
  command?: readonly string[];
  /** Aborting it before the banner SIGKILLs the host (a crash during start-up). */
  signal?: AbortSignal;
}

/** A running child host. */
export interface CliHost {
  readonly child: ChildProcess;
  /** `http://localhost:<port>`. */
  readonly baseUrl: string;
  /** `http://localhost:<port>/api`. */
  readonly api: string;
  readonly functionKey: string;
  /** When the process was spawned (ms since the epoch): anything it sent happened after this. */
  readonly spawnedAt: number;
  /** Everything the host wrote to stdout and stderr so far. */
  output(): string;
  /** Sends `signal` and resolves once the process has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** The host exited before it printed its banner. */
export class CliHostStartError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
    this.name = 'CliHostStartError';
  }
}

/**
 * Starts the CLI on this project's app and resolves once its banner is printed (it then serves).
 *
 * @example
 * const host = await startCliHost({ port, dataDir, storage: 'azurite', env: appSettings(model) });
 * await fetch(`${host.api}/workflows`);
 * await host.kill('SIGKILL');
 */
export function startCliHost(options: CliHostOptions): Promise<CliHost> {
  const command = options.command ?? [CLI_PATH];
  if (!fs.existsSync(command[0]!)) {
    return Promise.reject(new Error(`${command[0]} is missing: run "npm run build" first (npm test does).`));
  }
  const appDir = options.appDir ?? APP_DIR;
  const { PORT: _port, ...parentEnv } = process.env;
  const args = [
    ...command,
    '--app',
    appDir,
    '--port',
    String(options.port),
    '--data',
    options.dataDir,
    '--storage',
    options.storage,
    '--engine',
    options.engine ?? 'emulated',
    '--log-level',
    options.logLevel ?? 'warning',
  ];
  const spawnedAt = Date.now();
  const child = spawn(process.execPath, args, {
    cwd: appDir,
    env: options.isolatedEnv ? options.env : { ...parentEnv, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;

  return new Promise<CliHost>((resolve, reject) => {
    const deadline = setTimeout(() => {
      cleanup();
      void kill('SIGKILL').then(() =>
        reject(new CliHostStartError(`The host printed no banner within ${readyTimeoutMs} ms.`, output)),
      );
    }, readyTimeoutMs);
    const onData = (): void => {
      if (!/Press Ctrl\+C to stop\./.test(output)) return;
      const baseUrl = /Base URL: (http:\/\/\S+)/.exec(output)?.[1];
      const functionKey = /Function key: (\S+)/.exec(output)?.[1];
      if (baseUrl === undefined || functionKey === undefined) return;
      cleanup();
      resolve({
        child,
        baseUrl,
        api: `${baseUrl}/api`,
        functionKey,
        spawnedAt,
        output: () => output,
        kill,
      });
    };
    const onAbort = (): void => {
      cleanup();
      void kill('SIGKILL').then(() =>
        reject(new CliHostStartError('The host was killed during start-up (aborted).', output)),
      );
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      cleanup();
      reject(
        new CliHostStartError(
          // The host's last lines name the cause (a port taken, storage refused...): CI logs show
          // only the message.
          `The host exited (${signal ?? `code ${code}`}) before its banner. Its last output:\n` +
            output.split('\n').slice(-15).join('\n'),
          output,
        ),
      );
    };
    const cleanup = (): void => {
      clearTimeout(deadline);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      options.signal?.removeEventListener('abort', onAbort);
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
