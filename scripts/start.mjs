// `npm start [-- host options]`: checks the port, builds only what changed, then runs the sample app
// on the local host in the foreground. Ctrl-C reaches the host (same terminal), which stops
// gracefully; this script exits with the host's exit code.
import './ensure-local-settings.mjs';
import { buildChanged, intendedPort, requireFreePort, spawnHost } from './local-host-launch.mjs';

const args = process.argv.slice(2);
const hostArgs =
  args.includes('--app') || args.some((a) => a.startsWith('--app=')) ? args : ['--app', 'sample', ...args];
await requireFreePort(intendedPort(args, 'sample'), 'npm start');
try {
  buildChanged();
} catch {
  process.exit(1); // tsc and esbuild printed why
}
const host = spawnHost(hostArgs, {
  DEVHOST_NEXT_STEPS: 'run `npm run demo` in another terminal (a scripted conversation)',
});
// Ctrl-C and a closed terminal reach the whole process group, the host included: it stops
// gracefully and this script waits for it (forwarding them would make a second signal, which the
// host takes as "stop waiting"). SIGTERM may be sent to this process alone: pass it on (when it was
// sent to the whole group, the host takes the second SIGTERM as the same request).
for (const signal of ['SIGINT', 'SIGHUP']) process.on(signal, () => undefined);
process.on('SIGTERM', () => host.kill('SIGTERM'));
host.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
