/**
 * Runs Azurite (Blob, Queue and Table emulators) as a detached child process on free ports, so it
 * outlives a host that is killed: Azurite plays Azure Storage, which does not crash with the app.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DevhostError } from '../errors';
import {
  clearAzuriteState,
  processAlive,
  readAzuriteState,
  writeAzuriteState,
  type AzuriteState,
} from './azurite-state';
import { azuriteConnectionString } from './connection-string';
import { freePorts, waitForPorts } from './ports';

/** Options of {@link startAzurite}. */
export interface StartAzuriteOptions {
  /** The data folder: Azurite's files go to `<location>/azurite`, its state to `<location>/azurite.json`. */
  location: string;
  /** Keep data in memory only (fast tests; nothing survives Azurite's exit). */
  inMemory?: boolean;
  /** Reconnect to the live Azurite recorded in `<location>/azurite.json` instead of starting one. */
  reuse?: boolean;
  /** How long to wait for Azurite's ports (default 30 s). */
  startTimeoutMs?: number;
}

/** A running Azurite. */
export interface AzuriteHandle {
  connectionString: string;
  blobPort: number;
  queuePort: number;
  tablePort: number;
  pid: number;
  /** True when this call reconnected to an Azurite started earlier. */
  reused: boolean;
  /** Stops Azurite gracefully (it flushes its database), then forcibly after a deadline. */
  stop(): Promise<void>;
}

const STOP_DEADLINE_MS = 10_000;

/**
 * Runs Azurite's entry script (argv[1], as `node azurite.js` would see it) in a process that exits
 * when its stdin closes, i.e. when the process that started it is gone, however it died. An
 * in-memory Azurite holds nothing worth keeping once its host is gone; left running it would only
 * hold ports and memory.
 */
const TETHER = [
  "process.stdin.on('end', () => process.exit(0));",
  "process.stdin.on('error', () => process.exit(0));",
  'process.stdin.resume();',
  // Unreferenced, so Azurite's own shutdown on SIGTERM still ends the process.
  'process.stdin.unref();',
  'require(process.argv[1]);',
].join(' ');

function azuriteScript(): string {
  try {
    return require.resolve('azurite/dist/src/azurite.js');
  } catch (error) {
    // An optional peer of the package: an app that installed durable-handoff installs it too.
    throw new DevhostError(
      'azurite_failed',
      'Azurite is not installed, and the local host keeps durable state (and the app its storage) in it. ' +
        'Install it in the app: npm install --save-dev azurite',
      { cause: error },
    );
  }
}

function tail(file: string, lines = 20): string {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

async function waitForExit(
  pid: number,
  child: ChildProcess | undefined,
  deadlineMs: number,
): Promise<boolean> {
  if (child && child.exitCode === null && child.signalCode === null) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), deadlineMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
  const deadline = Date.now() + deadlineMs;
  while (processAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

function handleFor(
  location: string,
  state: AzuriteState,
  reused: boolean,
  child?: ChildProcess,
): AzuriteHandle {
  let stopped: Promise<void> | undefined;
  return {
    connectionString: azuriteConnectionString(state),
    blobPort: state.blobPort,
    queuePort: state.queuePort,
    tablePort: state.tablePort,
    pid: state.pid,
    reused,
    stop() {
      stopped ??= (async () => {
        const exited = child
          ? child.exitCode !== null || child.signalCode !== null
          : !processAlive(state.pid);
        if (!exited) {
          try {
            process.kill(state.pid, 'SIGTERM');
          } catch {
            // already gone
          }
          if (!(await waitForExit(state.pid, child, STOP_DEADLINE_MS))) {
            try {
              process.kill(state.pid, 'SIGKILL');
            } catch {
              // already gone
            }
            await waitForExit(state.pid, child, STOP_DEADLINE_MS);
          }
        }
        child?.stdin?.destroy(); // the tether's pipe, if any
        clearAzuriteState(location, state.pid);
      })();
      return stopped;
    },
  };
}

/**
 * True when the process is an Azurite this launcher started (its command line runs azurite.js with
 * --blobPort; checked where /proc exists, assumed elsewhere). Never this process or its parent.
 */
function looksLikeAzurite(pid: number): boolean {
  if (pid === process.pid || pid === process.ppid) return false;
  try {
    const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return (
      args.some((arg) => arg.endsWith(path.join('azurite', 'dist', 'src', 'azurite.js'))) &&
      args.includes('--blobPort')
    );
  } catch {
    return process.platform !== 'linux';
  }
}

/**
 * The live Azurite recorded for a data folder. One that is still starting (a host killed right
 * after spawning it) is waited for, so a second Azurite never opens the same files.
 */
async function reusable(location: string, deadlineMs: number): Promise<AzuriteState | undefined> {
  const state = readAzuriteState(location);
  if (!state || !processAlive(state.pid) || !looksLikeAzurite(state.pid)) return undefined;
  try {
    await waitForPorts(
      [state.blobPort, state.queuePort, state.tablePort],
      deadlineMs,
      () => (processAlive(state.pid) ? undefined : 'it exited'),
      (reason) => new Error(reason),
    );
    return state;
  } catch {
    // Recorded but not serving: stop it before starting another on the same files.
    try {
      if (processAlive(state.pid)) process.kill(state.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    return undefined;
  }
}

/**
 * Starts Azurite for a data folder (or, with `reuse`, reconnects to the one already serving it).
 *
 * @example
 * const azurite = await startAzurite({ location: '.devhost', reuse: true });
 * const store = await createTableStore({ connectionString: azurite.connectionString, hubName: 'MyHub' });
 * // ...
 * await azurite.stop();
 */
export async function startAzurite(options: StartAzuriteOptions): Promise<AzuriteHandle> {
  const location = path.resolve(options.location);
  fs.mkdirSync(location, { recursive: true });
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  if (options.reuse) {
    const live = await reusable(location, startTimeoutMs);
    if (live) return handleFor(location, live, true);
  }
  // Another process may still take a port between our probe and Azurite's bind: retry on that.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await launch(location, options, startTimeoutMs);
    } catch (error) {
      const portTaken = error instanceof DevhostError && /EADDRINUSE/.test(error.message);
      if (!portTaken || attempt >= 3) throw error;
    }
  }
}

async function launch(
  location: string,
  options: StartAzuriteOptions,
  startTimeoutMs: number,
): Promise<AzuriteHandle> {
  const [blobPort, queuePort, tablePort] = (await freePorts(3)) as [number, number, number];
  const logFile = path.join(location, 'azurite.log');
  const log = fs.openSync(logFile, 'w');
  const args = [
    azuriteScript(),
    '--blobHost',
    '127.0.0.1',
    '--blobPort',
    String(blobPort),
    '--queueHost',
    '127.0.0.1',
    '--queuePort',
    String(queuePort),
    '--tableHost',
    '127.0.0.1',
    '--tablePort',
    String(tablePort),
    // Azurite refuses --location together with --inMemoryPersistence.
    ...(options.inMemory ? ['--inMemoryPersistence'] : ['--location', path.join(location, 'azurite')]),
    '--silent',
    '--skipApiVersionCheck',
    '--loose',
    '--disableProductStyleUrl',
    '--disableTelemetry',
  ];
  // On disk, Azurite outlives a host that is killed (it plays Azure Storage, and the next start
  // reconnects to it); in memory, it is tethered to its starter and ends with it.
  const tethered = options.inMemory ?? false;
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, tethered ? ['-e', TETHER, ...args] : args, {
      cwd: location,
      detached: true,
      stdio: [tethered ? 'pipe' : 'ignore', log, log],
    });
  } finally {
    fs.closeSync(log);
  }
  child.unref();
  // The tether's pipe must not keep the starter's event loop alive.
  (child.stdin as (NodeJS.WritableStream & { unref?: () => void }) | null)?.unref?.();
  let exitReason: string | undefined;
  child.once('exit', (code, signal) => {
    exitReason = `it exited with ${signal ?? `code ${code}`}`;
  });
  child.once('error', (error) => {
    exitReason = `it could not be spawned: ${error.message}`;
  });
  const state: AzuriteState = {
    pid: child.pid ?? 0,
    blobPort,
    queuePort,
    tablePort,
    inMemory: options.inMemory ?? false,
  };
  const handle = handleFor(location, state, false, child);
  // Recorded before it serves: a host killed now leaves a record the next start waits for.
  writeAzuriteState(location, state);
  try {
    await waitForPorts(
      [blobPort, queuePort, tablePort],
      startTimeoutMs,
      () => exitReason,
      (reason) =>
        new DevhostError(
          'azurite_failed',
          `Azurite did not start for data folder "${location}": ${reason}. Its output (${logFile}):\n${tail(logFile) || '(empty)'}`,
        ),
    );
  } catch (error) {
    await handle.stop();
    throw error;
  }
  return handle;
}
