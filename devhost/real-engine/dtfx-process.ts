/**
 * Runs the .NET host of the real engine as a child process: starts it, waits for its
 * "dtfx-ready <port>" line, passes its log lines on, and stops it by closing its stdin (which it
 * also sees when this process dies, however it died).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { DevhostError } from '../errors';
import type { LogLevel, LogSink } from '../log';

/** Options of {@link startDtfxProcess}. */
export interface DtfxProcessOptions {
  dll: string;
  /** The Node bridge's URL. */
  bridgeUrl: string;
  /** The front door's management API base, e.g. `http://localhost:7071/runtime/webhooks/durabletask`. */
  webhookUrl: string;
  /** The JSON settings file (AzureWebJobs:extensions:DurableTask). */
  settingsFile: string;
  env: NodeJS.ProcessEnv;
  log: LogSink;
  /** How long to wait for the ready line (default 90 s: the first start creates the task hub). */
  startTimeoutMs?: number;
}

/** A running .NET host. */
export interface DtfxProcess {
  /** The loopback port of its management server. */
  port: number;
  pid: number;
  /** Stops it gracefully (bounded), then kills it. */
  stop(): Promise<void>;
}

const STOP_DEADLINE_MS = 15_000;
const READY = /^dtfx-ready (\d+)$/;

/** The .NET console logger's level prefix; informational lines show at --log-level debug. */
function levelOf(line: string): LogLevel {
  if (/^(fail|crit)[:\s]/.test(line)) return 'error';
  if (/^warn[:\s]/.test(line)) return 'warning';
  return 'debug';
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Starts the .NET host and resolves once it serves. */
export async function startDtfxProcess(options: DtfxProcessOptions): Promise<DtfxProcess> {
  const child = spawn(
    'dotnet',
    [
      options.dll,
      '--bridge',
      options.bridgeUrl,
      '--webhook',
      options.webhookUrl,
      '--settings',
      options.settingsFile,
    ],
    { env: options.env, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const recent: string[] = [];
  const logLine = (line: string) => {
    recent.push(line);
    if (recent.length > 30) recent.shift();
    options.log({ level: levelOf(line), category: 'system', message: `[dtfx] ${line}` });
  };
  readline.createInterface({ input: child.stderr }).on('line', logLine);
  const stdout = readline.createInterface({ input: child.stdout });

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new DevhostError(
          'engine_failed',
          `The real Durable engine did not start within ${(options.startTimeoutMs ?? 90_000) / 1000} s.\n${recent.join('\n')}`,
        ),
      );
    }, options.startTimeoutMs ?? 90_000);
    stdout.on('line', (line) => {
      const ready = READY.exec(line);
      if (ready) {
        clearTimeout(timer);
        resolve(Number(ready[1]));
      } else {
        logLine(line);
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new DevhostError('engine_failed', `The real Durable engine could not start: ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new DevhostError(
          'engine_failed',
          `The real Durable engine exited during start-up (${signal ?? `code ${code}`}):\n${recent.join('\n')}`,
        ),
      );
    });
  }).catch((error: unknown) => {
    if (!exited(child)) child.kill('SIGKILL');
    throw error;
  });

  child.on('exit', (code, signal) => {
    if (!stopping) {
      options.log({
        level: 'error',
        category: 'system',
        message: `The real Durable engine exited unexpectedly (${signal ?? `code ${code}`}); durable work stops until the local host restarts.`,
      });
    }
  });
  let stopping = false;
  return {
    port,
    pid: child.pid ?? 0,
    async stop() {
      stopping = true;
      if (exited(child)) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_DEADLINE_MS);
      await gone;
      clearTimeout(timer);
    },
  };
}
