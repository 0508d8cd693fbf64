/**
 * `--storage memory`: a long chain of activities that do no I/O must not stop the host from
 * answering HTTP or from stopping on SIGTERM (the engine yields to pending I/O between steps).
 * The host runs as a child process (the CLI), so a starved host cannot starve the test too.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { send, waitFor } from '../http/http-client';

const projectRoot = path.join(__dirname, '../../..');
const cli = path.join(projectRoot, 'dist/devhost/cli.js');
const app = path.join(__dirname, '../../fixtures/apps/durable-divergences');

describe('the local host with --storage memory during a long activity chain', () => {
  let child: ChildProcessWithoutNullStreams | undefined;
  let exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;

  beforeAll(() => {
    if (!fs.existsSync(cli)) {
      throw new Error(`${cli} is missing: run "npm run build" before these tests (npm test does).`);
    }
  });
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exit;
    }
  });

  it('keeps answering HTTP while the chain runs, and stops on SIGTERM', async () => {
    const { PORT: _port, ...env } = process.env;
    const started = spawn(
      process.execPath,
      [cli, '--app', app, '--port', '0', '--storage', 'memory', '--open-management'],
      { cwd: projectRoot, env },
    );
    child = started;
    let stdout = '';
    started.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    started.stderr.on('data', () => undefined);
    exit = new Promise((resolve) => started.on('exit', (code, signal) => resolve({ code, signal })));
    await waitFor('the banner', () => /Press Ctrl\+C to stop\./.test(stdout), 30_000);
    const baseUrl = /Base URL: (http:\/\/localhost:\d+)/.exec(stdout)![1]!;

    const startChain = async (key: string): Promise<string> => {
      const start = await send(`${baseUrl}/api/start/spinChain`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key }),
      });
      expect(start.status).toBe(202);
      const { statusQueryGetUri } = start.json<{ statusQueryGetUri: string }>();
      return statusQueryGetUri;
    };
    const statusIs = (url: string, runtimeStatus: string) =>
      waitFor(`${url} to be ${runtimeStatus}`, async () => {
        const status = await send(url);
        return status.json<{ runtimeStatus: string }>().runtimeStatus === runtimeStatus;
      });

    const first = await startChain('a');
    await statusIs(first, 'Running');
    expect((await send(`${baseUrl}/api/hello`)).text).toBe('hello');
    // The chain only ends once this request is served: a host that never yields never serves it.
    expect((await send(`${baseUrl}/api/spin/stop/a`, { method: 'POST' })).status).toBe(202);
    await statusIs(first, 'Completed');

    // SIGTERM while a chain that never ends by itself runs.
    await statusIs(await startChain('b'), 'Running');
    started.kill('SIGTERM');
    expect(await exit).toEqual({ code: 0, signal: null });
    expect(stdout).toContain('Stopped.');
  });
});
