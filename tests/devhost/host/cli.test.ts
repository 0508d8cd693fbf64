import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { send, waitFor } from '../http/http-client';
import { fixtureApp, probePort } from './app-copy';

const projectRoot = path.join(__dirname, '../../..');
const cli = path.join(projectRoot, 'dist/devhost/cli.js');

interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function runCli(args: string[], env: Record<string, string> = {}): RunningCli {
  const { PORT: _port, ...parentEnv } = process.env;
  const child = spawn(process.execPath, [cli, ...args], { cwd: projectRoot, env: { ...parentEnv, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

describe('the devhost CLI as a child process', () => {
  let running: RunningCli | undefined;

  beforeAll(() => {
    if (!fs.existsSync(cli)) {
      throw new Error(`${cli} is missing: run "npm run build" before these tests (npm test does).`);
    }
  });
  afterEach(async () => {
    if (running && running.child.exitCode === null && running.child.signalCode === null) {
      running.child.kill('SIGKILL');
      await running.exit;
    }
    running = undefined;
  });

  it('prints the banner, serves the app, and exits 0 on SIGINT, releasing the port', async () => {
    running = runCli(['--app', fixtureApp, '--port', '0', '--storage', 'memory']);
    const cliRun = running;
    await waitFor('the banner', () => /Press Ctrl\+C to stop\./.test(cliRun.stdout()), 30_000);
    const out = cliRun.stdout();
    const baseUrl = /Base URL: (http:\/\/localhost:\d+)/.exec(out)?.[1];
    expect(baseUrl).toBeDefined();
    expect(out).toContain(`greet:`);
    expect(out).toContain(`GET,POST ${baseUrl}/api/greet/{name} [anonymous]`);
    expect(out).toContain(`${baseUrl}/api/auth/admin [admin]`);
    expect(out).toMatch(/Storage: memory/);
    const functionKey = /Function key: (\S+)/.exec(out)?.[1] ?? '';

    const res = await send(`${baseUrl}/api/auth/function`, { headers: { 'x-functions-key': functionKey } });
    expect(res.status).toBe(200);

    cliRun.child.kill('SIGINT');
    expect(await cliRun.exit).toEqual({ code: 0, signal: null });
    expect(cliRun.stdout()).toContain('Stopped.');
    expect(await probePort(Number(new URL(baseUrl ?? '').port))).toBe('ECONNREFUSED');
  });

  it('takes the port from PORT when --port is not given', async () => {
    running = runCli(['--app', fixtureApp, '--storage', 'memory'], { PORT: '0' });
    const cliRun = running;
    await waitFor('the banner', () => /Base URL: http:\/\/localhost:\d+/.test(cliRun.stdout()), 30_000);
    cliRun.child.kill('SIGTERM');
    expect((await cliRun.exit).code).toBe(0);
  });

  it('stops cleanly on SIGHUP, as when its terminal is closed', async () => {
    running = runCli(['--app', fixtureApp, '--port', '0', '--storage', 'memory']);
    const cliRun = running;
    await waitFor('the banner', () => /Press Ctrl\+C to stop\./.test(cliRun.stdout()), 30_000);
    cliRun.child.kill('SIGHUP');
    expect(await cliRun.exit).toEqual({ code: 0, signal: null });
    expect(cliRun.stdout()).toContain('SIGHUP: stopping the local host...');
  });

  it('stops cleanly on a SIGTERM sent the moment the banner appears', async () => {
    // The banner says the host is ready, so its signal handlers must be in place when it is printed;
    // before that fix about half of these stops were Node's default death by SIGTERM. The signal is
    // sent by a lean supervisor process, which reacts within microseconds (a jest worker is slower
    // and would hide the race).
    const supervisor = `
      const { spawn } = require('node:child_process');
      const [cli, app, attempts] = process.argv.slice(1);
      (async () => {
        const exits = [];
        for (let i = 0; i < Number(attempts); i++) {
          exits.push(await new Promise((resolve) => {
            const child = spawn(process.execPath, [cli, '--app', app, '--port', '0', '--storage', 'memory']);
            let out = '';
            let signalled = false;
            child.stdout.on('data', (chunk) => {
              out += chunk;
              if (!signalled && out.includes('Base URL: ')) {
                signalled = true;
                child.kill('SIGTERM');
              }
            });
            child.on('close', (code, signal) => resolve({ code, signal, stopped: out.includes('Stopped.') }));
          }));
        }
        process.stdout.write(JSON.stringify(exits));
      })();
    `;
    const child = spawn(process.execPath, ['-e', supervisor, cli, fixtureApp, '6'], { cwd: projectRoot });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    try {
      await new Promise((resolve) => child.on('close', resolve));
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    expect(JSON.parse(out)).toEqual(Array(6).fill({ code: 0, signal: null, stopped: true }));
  });

  it('exits 2 with a message naming the option and the allowed values for a bad option', async () => {
    running = runCli(['--app', fixtureApp, '--storage', 'disk']);
    expect((await running.exit).code).toBe(2);
    expect(running.stderr()).toContain('--storage is "disk"; use one of: azurite, memory.');
  });

  it('exits 2 for a port that is not a number', async () => {
    running = runCli(['--app', fixtureApp, '--port', 'http']);
    expect((await running.exit).code).toBe(2);
    expect(running.stderr()).toContain('--port is "http"; use a whole number from 0 to 65535');
  });

  it('exits 1 with the reason when the app folder is not a Functions app', async () => {
    running = runCli(['--app', path.join(fixtureApp, 'functions'), '--port', '0', '--storage', 'memory']);
    expect((await running.exit).code).toBe(1);
    expect(running.stderr()).toMatch(/The local host could not start: No host\.json in /);
  });

  it('prints the usage with --help and exits 0', async () => {
    running = runCli(['--help']);
    expect((await running.exit).code).toBe(0);
    expect(running.stdout()).toContain('--storage <kind>');
  });
});
