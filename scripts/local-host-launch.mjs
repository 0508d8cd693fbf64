// What `npm start` and `npm run dev` share: the port the host will take (checked BEFORE any build,
// so a second start on a busy port says so at once instead of rebuilding under the running host),
// the incremental build, and starting the host as a child process.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Exit code of the host for a bad option or a busy port; the scripts use the same. */
export const EXIT_USAGE = 2;

function optionValue(args, name) {
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === name) return args[i + 1];
    if (args[i].startsWith(`${name}=`)) return args[i].slice(name.length + 1);
  }
  return undefined;
}

/** The port the host will listen on, resolved as the host does: --port, PORT, Host.LocalHttpPort, 7071. */
export function intendedPort(args, defaultApp) {
  const explicit = optionValue(args, '--port') ?? process.env.PORT;
  if (explicit !== undefined && explicit !== '') return Number(explicit);
  const app = path.resolve(root, optionValue(args, '--app') ?? defaultApp);
  const settingsFile = path.join(app, 'local.settings.json');
  if (existsSync(settingsFile)) {
    try {
      const port = JSON.parse(readFileSync(settingsFile, 'utf8'))?.Host?.LocalHttpPort;
      if (Number.isInteger(port)) return port;
    } catch {
      // The host reports a broken local.settings.json itself, with the reason.
    }
  }
  return 7071;
}

/** Resolves when `port` can be bound on the loopback interface the host listens on. */
export function checkPortFree(port) {
  if (!Number.isInteger(port) || port <= 0) return Promise.resolve(true);
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error) => (error.code === 'EADDRINUSE' ? resolve(false) : reject(error)));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** Exits with a clear message when the port is taken. */
export async function requireFreePort(port, script) {
  if (await checkPortFree(port)) return;
  process.stderr.write(
    `Port ${port} is in use: is a local host (npm start, npm run dev) already running? ` +
      `Stop it, or use another port: ${script} -- --port ${port + 1}\n`,
  );
  process.exit(EXIT_USAGE);
}

/** Builds what changed since the last build (library, chat page, sample); nothing when up to date. */
export function buildChanged() {
  const started = Date.now();
  execFileSync('npm', ['run', 'build:dev', '--silent'], { cwd: root, stdio: 'inherit' });
  return Date.now() - started;
}

/** Starts the host on `args` as a child that shares this terminal. */
export function spawnHost(args, env = {}) {
  return spawn(process.execPath, [path.join(root, 'dist', 'devhost', 'cli.js'), ...args], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
}
