/**
 * The local Functions host the demo runs the app on: in this process, memory storage, a free port.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startHost, type RunningHost } from '../../devhost/host';
import { isAtLeast, type LogSink } from '../../devhost/log';

/** The sample app the demo runs: `sample/` (with its host.json) in the nearest project folder up from here. */
export function findAppDir(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const app = path.join(dir, 'sample');
    if (fs.existsSync(path.join(app, 'package.json')) && fs.existsSync(path.join(app, 'host.json')))
      return app;
    if (path.dirname(dir) === dir) {
      throw new Error(
        `No sample Functions app (sample/host.json) above ${from}; run the demo from the project.`,
      );
    }
  }
}

/** Host and app log lines on stderr: warnings and errors, or everything from `information` with `verbose`. */
function stderrLogSink(verbose: boolean): LogSink {
  const threshold = verbose ? 'information' : 'warning';
  return (entry) => {
    if (entry.level === 'none' || !isAtLeast(entry.level, threshold)) return;
    const where = entry.functionName ? `[${entry.functionName}] ` : '';
    process.stderr.write(`${entry.level} ${where}${entry.message}\n`);
  };
}

/**
 * Starts the app on a local host. The model settings come from the environment and
 * local.settings.json as with `npm start` (none: the offline demo model). Storage is always memory
 * (an in-memory Azurite for the app's tables), and a random token secret is used: nothing of the
 * demo outlives it.
 */
export function startDemoHost(options: { verbose: boolean }): Promise<RunningHost> {
  return startHost({
    appDir: findAppDir(),
    port: 0,
    storage: 'memory',
    log: stderrLogSink(options.verbose),
    env: {
      AZURE_FUNCTIONS_ENVIRONMENT: 'Development',
      AzureWebJobsStorage: '',
      DURABLE_HANDOFF_TASK_HUB: 'HandoffDemo',
      DURABLE_HANDOFF_TOKEN_SECRET: randomBytes(32).toString('base64url'),
      DURABLE_HANDOFF_SSE_POLL_MS: '100',
    },
  });
}
