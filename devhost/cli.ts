#!/usr/bin/env node
/**
 * The local host's command: `node dist/devhost/cli.js --app <folder> [--port N] [--data DIR]
 * [--storage azurite|memory] [--engine dtfx|emulated] [--log-level LEVEL]`. `npm start` runs it on this project's app.
 *
 * @example
 * ```sh
 * npm run build && node dist/devhost/cli.js --app . --port 7071 --storage memory
 * ```
 */
import { CLI_USAGE, parseCliArgs, type StorageKind } from './config/cli-options';
import { DevhostError } from './errors';
import { startHost, type EngineKind, type RunningHost } from './host';
import { isAtLeast, type LogLevel, type LogSink } from './log';
import { dtfxAvailability } from './real-engine/dtfx-build';

/** `--engine` as given, else the real engine where it can run, else the emulation with a notice. */
function chooseEngine(
  requested: EngineKind | undefined,
  storage: StorageKind,
): { engine: EngineKind; notice?: string } {
  if (requested) return { engine: requested };
  const available = dtfxAvailability();
  // The real engine keeps its state in Azure Storage: memory storage means the emulation.
  if (available.ok) return { engine: storage === 'memory' ? 'emulated' : 'dtfx' };
  return {
    engine: 'emulated',
    notice: `Durable engine: the emulation, because ${available.reason} (--engine emulated hides this line)`,
  };
}

function engineLine(host: RunningHost): string {
  if (host.dtfx) {
    return `Durable engine: dtfx (Microsoft's Durable Functions extension 3.19.0, Azure Storage backend; .NET process ${host.dtfx.pid})`;
  }
  if (host.durable)
    return 'Durable engine: emulated (devhost/durable; see devhost/README.md for what differs)';
  return `Durable engine: ${host.engine} (idle: the app registered no orchestrations, activities or entities)`;
}

/** Log lines to stdout (errors to stderr), so the app's start-up lines appear with the banner. */
function stdoutLogSink(threshold: LogLevel): LogSink {
  return (entry) => {
    if (entry.level === 'none' || !isAtLeast(entry.level, threshold)) return;
    const where = entry.functionName ? `[${entry.functionName}] ` : '';
    const line = `${where}${entry.message}\n`;
    if (isAtLeast(entry.level, 'error')) process.stderr.write(line);
    else process.stdout.write(line);
  };
}

/** The start-up banner: where the host listens, the routes, the function key and the storage. */
function formatBanner(host: RunningHost): string {
  const width = Math.max(0, ...host.routes.map((r) => r.functionName.length));
  const byName = [...host.routes].sort((a, b) =>
    a.functionName.localeCompare(b.functionName, 'en', { sensitivity: 'base' }),
  );
  const routes = byName.map(
    (r) => `  ${`${r.functionName}:`.padEnd(width + 1)} ${r.methods.join(',')} ${r.url} [${r.authLevel}]`,
  );
  const others = host.worker
    .list()
    .filter((f) => f.triggerType.toLowerCase() !== 'httptrigger')
    .map((f) => `  ${f.name}: ${f.triggerType}`);
  return [
    '',
    'Local Functions host (an emulation, not Azure: see devhost/README.md)',
    `Base URL: ${host.baseUrl}`,
    '',
    'Functions:',
    ...(routes.length > 0 ? routes : ['  (no HTTP triggers)']),
    ...others,
    '',
    `Function key: ${host.functionKey}  (x-functions-key header or ?code=)`,
    `Storage: ${host.storage.description}`,
    engineLine(host),
    ...(host.durable || host.dtfx
      ? [
          `Durable management API: ${host.baseUrl}/runtime/webhooks/durabletask/ ${
            host.openManagement
              ? '(OPEN: no key required, --open-management)'
              : '(master key required: ?code= or x-functions-key; it is in keys.json)'
          }`,
        ]
      : []),
    ...nextSteps(host),
    'Press Ctrl+C to stop.',
    '',
  ].join('\n');
}

/**
 * What to do now: open the chat page (when the app serves durable-handoff's), plus the hint of the
 * script that started the host (`npm start` names the demo command).
 */
function nextSteps(host: RunningHost): string[] {
  const chat = host.routes.find((r) => r.functionName === 'chatPage');
  const hint = process.env.DEVHOST_NEXT_STEPS;
  if (!chat && !hint) return [];
  return [
    '',
    'Next:',
    ...(chat ? [`  open ${chat.url} (the chat page; ${host.baseUrl}/ leads there too)`] : []),
    ...(hint ? [`  ${hint}`] : []),
    '',
  ];
}

async function main(): Promise<void> {
  let options;
  try {
    options = parseCliArgs(process.argv.slice(2), process.env, process.cwd());
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(CLI_USAGE);
    return;
  }
  const { engine, notice } = chooseEngine(options.engine, options.storage);
  if (notice) process.stdout.write(`${notice}\n`);
  let host: RunningHost;
  try {
    host = await startHost({
      engine,
      appDir: options.appDir,
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
      storage: options.storage,
      log: stdoutLogSink(options.logLevel),
      recordEpisodes: false,
      ...(options.stopTimeoutS === undefined ? {} : { stopTimeoutMs: options.stopTimeoutS * 1000 }),
      openManagement: options.openManagement === true,
    });
  } catch (error) {
    const message = error instanceof DevhostError ? error.message : ((error as Error).stack ?? String(error));
    process.stderr.write(`The local host could not start: ${message}\n`);
    const usage =
      error instanceof DevhostError && ['invalid_option', 'engine_unavailable'].includes(error.code);
    process.exit(usage ? 2 : 1);
  }
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl-C while stopping: give up waiting. A second SIGTERM asks for the same stop: a
      // SIGTERM to the process group (timeout, a service manager) reaches `npm start` too, which
      // passes it on.
      if (signal !== 'SIGTERM') process.exit(130);
      return;
    }
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the local host...\n`);
    host.stop().then(
      () => {
        process.stdout.write('Stopped.\n');
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`Stopping failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', stop); // the terminal closed
  // The banner is what scripts and tests wait for before they signal the host: it goes out only once
  // the handlers are in place, or a quick SIGTERM would meet Node's default (die without stopping).
  process.stdout.write(formatBanner(host));
}

void main();
