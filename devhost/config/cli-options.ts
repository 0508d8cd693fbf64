import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DevhostError } from '../errors';
import type { LogLevel } from '../log';

/** The storage choices of the local host. */
export const STORAGE_KINDS = ['azurite', 'memory'] as const;
/** Where the host keeps durable state: Azurite (Table + Blob, survives restarts) or memory. */
export type StorageKind = (typeof STORAGE_KINDS)[number];

/** The durable engines `--engine` accepts (devhost/README.md, "Engines"). */
export const CLI_ENGINE_KINDS = ['dtfx', 'emulated'] as const;

const LOG_LEVELS = ['trace', 'debug', 'information', 'warning', 'error', 'critical', 'none'] as const;

/** The parsed command line of `devhost/cli.ts`. */
export interface CliOptions {
  help: boolean;
  /** The app folder, absolute. */
  appDir: string;
  /** From `--port`, else `PORT`; undefined lets the host use `Host.LocalHttpPort` or 7071. */
  port?: number;
  dataDir?: string;
  storage: StorageKind;
  /** From `--engine`; undefined: the real engine where .NET and its build exist, else the emulation. */
  engine?: (typeof CLI_ENGINE_KINDS)[number];
  logLevel: LogLevel;
  /** `--stop-timeout`: how long Ctrl-C waits for work in flight, in seconds. */
  stopTimeoutS?: number;
  /** `--open-management`: the Durable management API takes no key (tests, tools). */
  openManagement?: true;
}

/** The usage text `--help` prints. */
export const CLI_USAGE = `Usage: node dist/devhost/cli.js [--app <folder>] [--port <n>] [--data <dir>] [--storage azurite|memory] [--engine dtfx|emulated] [--log-level <level>]
       [--stop-timeout <s>]

Runs an Azure Functions Node v4 app (HTTP triggers and Durable Functions) on a local host.

  --app <folder>       the app folder, with host.json and package.json (default: current folder)
  --port <n>           the port (default: PORT, else local.settings.json Host.LocalHttpPort, else 7071; 0 = any free port)
  --data <dir>         where keys and Azurite data live (default: <app>/.devhost)
  --storage <kind>     azurite (default; durable state survives restarts) or memory
  --engine <kind>      dtfx (Microsoft's Durable extension in .NET; the default where dotnet and its build exist)
                       or emulated (the default otherwise; needs Node only)
  --log-level <level>  ${LOG_LEVELS.join(', ')} (default: information)
  --stop-timeout <s>   on Ctrl-C, how long in-flight work (an agent turn's model call) may take to
                       finish and be recorded before it is abandoned (default: 15; emulated engine)
  --open-management    serve the Durable management API without the master key (as Azure never does)
  --help               print this text
`;

const portSchema = z.coerce.number().int().min(0).max(65535);

function invalid(message: string): DevhostError {
  return new DevhostError('invalid_option', `${message}\nRun with --help for the options.`);
}

/**
 * Parses and validates the command line. A bad option throws a DevhostError ('invalid_option') that
 * names the option, the bad value and the allowed values.
 */
export function parseCliArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): CliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        app: { type: 'string' },
        port: { type: 'string' },
        data: { type: 'string' },
        storage: { type: 'string' },
        engine: { type: 'string' },
        'log-level': { type: 'string' },
        'stop-timeout': { type: 'string' },
        'open-management': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw invalid((error as Error).message);
  }
  const text = (name: string) => values[name] as string | undefined;

  const rawPort = text('port') ?? env.PORT;
  let port: number | undefined;
  if (rawPort !== undefined && rawPort !== '') {
    const parsed = portSchema.safeParse(rawPort);
    const from = text('port') === undefined ? 'PORT' : '--port';
    if (!parsed.success || !/^\d+$/.test(rawPort.trim())) {
      throw invalid(`${from} is "${rawPort}"; use a whole number from 0 to 65535 (0 picks a free port).`);
    }
    port = parsed.data;
  }
  const storage = text('storage') ?? 'azurite';
  if (!(STORAGE_KINDS as readonly string[]).includes(storage)) {
    throw invalid(`--storage is "${storage}"; use one of: ${STORAGE_KINDS.join(', ')}.`);
  }
  const engine = text('engine');
  if (engine !== undefined && !(CLI_ENGINE_KINDS as readonly string[]).includes(engine)) {
    throw invalid(`--engine is "${engine}"; use one of: ${CLI_ENGINE_KINDS.join(', ')}.`);
  }
  const logLevel = text('log-level') ?? 'information';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw invalid(`--log-level is "${logLevel}"; use one of: ${LOG_LEVELS.join(', ')}.`);
  }
  const rawStopTimeout = text('stop-timeout');
  const stopTimeoutS = rawStopTimeout === undefined ? undefined : Number(rawStopTimeout);
  if (
    stopTimeoutS !== undefined &&
    !(Number.isFinite(stopTimeoutS) && stopTimeoutS >= 0 && stopTimeoutS <= 3600)
  ) {
    throw invalid(`--stop-timeout is "${rawStopTimeout}"; use a number of seconds from 0 to 3600.`);
  }
  const app = text('app');
  if (app === '') throw invalid('--app is empty; give the app folder, e.g. --app .');
  const data = text('data');
  return {
    help: values.help === true,
    appDir: path.resolve(cwd, app ?? '.'),
    ...(port === undefined ? {} : { port }),
    ...(data ? { dataDir: path.resolve(cwd, data) } : {}),
    storage: storage as StorageKind,
    ...(engine === undefined ? {} : { engine: engine as (typeof CLI_ENGINE_KINDS)[number] }),
    logLevel: logLevel as LogLevel,
    ...(stopTimeoutS === undefined ? {} : { stopTimeoutS }),
    ...(values['open-management'] === true ? { openManagement: true as const } : {}),
  };
}
