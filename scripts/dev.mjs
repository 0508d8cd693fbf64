// `npm run dev [-- host options]`: the inner loop. TypeScript compiles in watch mode (incremental,
// library and sample); after each successful compile, and after a change under web/, the chat page
// is rebuilt if needed and the local host restarts. Runs are kept across restarts: durable state is
// in Azurite (the default storage), and a restarted host picks every run up where it was.
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import path from 'node:path';
import './ensure-local-settings.mjs';
import { intendedPort, requireFreePort, root, spawnHost } from './local-host-launch.mjs';

const args = process.argv.slice(2);
const hostArgs =
  args.includes('--app') || args.some((a) => a.startsWith('--app=')) ? args : ['--app', 'sample', ...args];
await requireFreePort(intendedPort(args, 'sample'), 'npm run dev');

const say = (line) => process.stdout.write(`[dev] ${line}\n`);
let host;
let restarting = Promise.resolve();
let shuttingDown = false;

function stopHost() {
  const current = host;
  host = undefined;
  if (!current || current.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    current.once('exit', resolve);
    current.kill('SIGTERM');
  });
}

function restart(reason) {
  restarting = restarting.then(async () => {
    if (shuttingDown) return;
    const webBuild = spawn(process.execPath, [path.join(root, 'scripts', 'build-web.mjs')], {
      stdio: 'inherit',
    });
    const webOk = await new Promise((resolve) => webBuild.on('exit', (code) => resolve(code === 0)));
    if (!webOk) return say('the chat page did not build; fix it and save again');
    if (host) say(`${reason}: restarting the local host`);
    await stopHost();
    if (shuttingDown) return;
    host = spawnHost(hostArgs, {
      DEVHOST_NEXT_STEPS: 'edit src/, sample/src/ or web/: the host restarts on save',
    });
  });
}

const tsc = spawn(
  process.execPath,
  [
    path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
    '-b',
    '--watch',
    '--preserveWatchOutput',
    'tsconfig.build.json',
    'sample/tsconfig.build.json',
  ],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
);
let buffered = '';
tsc.stdout.on('data', (chunk) => {
  buffered += chunk.toString();
  const lines = buffered.split('\n');
  buffered = lines.pop() ?? '';
  for (const line of lines) {
    if (line.trim() !== '') process.stdout.write(`[tsc] ${line}\n`);
    // tsc -b --watch ends each compile with "Found N errors. Watching for file changes."
    const found = /Found (\d+) errors?\. Watching for file changes\./.exec(line);
    if (found && found[1] === '0') restart('compiled');
    else if (found) say('TypeScript errors: the host keeps running the last good build');
  }
});

let webTimer;
watch(path.join(root, 'web'), { recursive: true }, () => {
  clearTimeout(webTimer);
  webTimer = setTimeout(() => restart('web/ changed'), 200);
});

async function shutDown() {
  if (shuttingDown) return;
  shuttingDown = true;
  tsc.kill('SIGTERM');
  await restarting;
  // Ctrl-C reached the host too (same process group); wait for it to finish its graceful stop.
  if (host && host.exitCode === null) await new Promise((resolve) => host.once('exit', resolve));
  process.exit(0);
}
process.on('SIGINT', shutDown);
process.on('SIGHUP', shutDown);
process.on('SIGTERM', () => {
  host?.kill('SIGTERM');
  void shutDown();
});
