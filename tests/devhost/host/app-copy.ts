import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';

/** The fixture app of the host tests. */
export const fixtureApp = path.join(__dirname, '../../fixtures/apps/http-basics');

/**
 * Copies the fixture app (without its streaming sub-app) to a new temporary folder, so a test can
 * add local.settings.json or a data folder. The copy has no node_modules: it loads
 * @azure/functions from the host's, as any app folder without its own may.
 */
export function copyFixtureApp(): { appDir: string; remove(): void } {
  const appDir = fs.mkdtempSync(path.join(os.tmpdir(), 'devhost-app-'));
  for (const entry of ['package.json', 'host.json', 'functions']) {
    fs.cpSync(path.join(fixtureApp, entry), path.join(appDir, entry), { recursive: true });
  }
  return { appDir, remove: () => fs.rmSync(appDir, { recursive: true, force: true }) };
}

/** Resolves with the connection outcome: 'connected' or the error code (e.g. ECONNREFUSED). */
export function probePort(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}
