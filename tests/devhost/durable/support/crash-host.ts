/**
 * A durable host in its own process, for crash tests: the fixture app, the engine over Table
 * storage in the Azurite that serves `--data` (reused across restarts), and a management server.
 * Prints `READY <port>` once it serves; stops cleanly on SIGTERM. Tests SIGKILL it.
 *
 * Usage: node -r ./ts-register.cjs crash-host.ts --data <dir> [--port <n>]
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  createDurableEngine,
  createTableStore,
  parseDurableSettings,
  startAzurite,
} from '../../../../devhost/durable';
import { consoleLogSink } from '../../../../devhost/log';
import { AppWorker } from '../../../../devhost/worker/app-worker';
import { startManagementServer } from './management-server';

const APP_DIR = path.join(__dirname, '../../../fixtures/apps/durable-conformance');

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const data = option('data');
  if (!data) throw new Error('crash-host needs --data <dir>.');
  const log = consoleLogSink('warning');
  const azurite = await startAzurite({ location: data, reuse: true });
  const store = await createTableStore({ connectionString: azurite.connectionString, hubName: 'CrashHub' });
  const worker = await AppWorker.start({ appDir: APP_DIR, log });
  const hostJson: unknown = JSON.parse(fs.readFileSync(path.join(APP_DIR, 'host.json'), 'utf8'));
  const holder: { engine?: ReturnType<typeof createDurableEngine> } = {};
  const server = await startManagementServer(
    { handleManagementRequest: (p, r) => holder.engine!.handleManagementRequest(p, r) },
    Number(option('port') ?? '0'),
  );
  const engine = createDurableEngine({
    invoker: worker,
    store,
    settings: { ...parseDurableSettings(hostJson), hubName: 'CrashHub' },
    baseUrl: server.origin,
    log,
  });
  holder.engine = engine;
  await engine.start();
  process.stdout.write(`READY ${server.port}\n`);
  process.once('SIGTERM', () => {
    void (async () => {
      await engine.stop();
      await server.close();
      await worker.terminate();
      process.exit(0);
    })();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`crash-host failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
