/**
 * The app on the local host's CLI (`dist/devhost/cli.js`), one child process per host, for
 * measurements that need two instances of the app on one storage account.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { BenchError } from '../../bench-error';
import { APP_DIR, PROJECT_DIR } from '../../ours/bench-app-host';

const CLI = join(PROJECT_DIR, 'dist/devhost/cli.js');

/** A host in its own process. */
export interface CliHost {
  readonly child: ChildProcess;
  /** `http://localhost:<port>/api`. */
  readonly api: string;
  output(): string;
}

/** Starts the CLI on the sample app with Azurite storage in `dataDir` (a running Azurite there is reused). */
export function startCliHost(port: number, dataDir: string, env: Record<string, string>): Promise<CliHost> {
  const args = [
    CLI,
    '--app',
    APP_DIR,
    '--port',
    String(port),
    '--data',
    dataDir,
    '--storage',
    'azurite',
    '--engine',
    'emulated',
  ];
  const child = spawn(process.execPath, [...args, '--log-level', 'warning'], {
    cwd: APP_DIR,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(deadline);
      child.kill('SIGKILL');
      reject(new BenchError('framework_failed', `The host on port ${port} ${why}:\n${output.slice(-2000)}`));
    };
    const deadline = setTimeout(() => fail('printed no banner within 60 s'), 60_000);
    const onExit = (code: number | null) => fail(`exited (${code}) before its banner`);
    const check = () => {
      const baseUrl = /Base URL: (http:\/\/\S+)/.exec(output)?.[1];
      if (!/Press Ctrl\+C to stop\./.test(output) || baseUrl === undefined) return;
      clearTimeout(deadline);
      child.stdout?.off('data', check);
      child.off('exit', onExit);
      resolve({ child, api: `${baseUrl}/api`, output: () => output });
    };
    child.stdout?.on('data', check);
    child.once('exit', onExit);
  });
}

/** Stops a host (SIGTERM, SIGKILL after 15 s) and resolves once it has exited. */
export async function stopCliHost(host: CliHost | undefined): Promise<void> {
  if (!host || host.child.exitCode !== null || host.child.signalCode !== null) return;
  const exited = new Promise((done) => host.child.once('exit', done));
  host.child.kill('SIGTERM');
  const timer = setTimeout(() => host.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
