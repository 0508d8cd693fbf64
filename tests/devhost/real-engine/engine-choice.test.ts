/**
 * The CLI's engine choice on a machine without .NET (simulated with a PATH that holds only Node):
 * `--engine dtfx` refuses to start, saying what to install; no flag falls back to the emulation
 * with a one-line notice, and the banner names the engine.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONFORMANCE_APP } from './engine-host';

const CLI = path.join(__dirname, '../../../dist/devhost/cli.js');
// A folder with only `node` in it (Node often sits next to dotnet in /usr/bin).
const nodeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'node-only-'));
fs.symlinkSync(process.execPath, path.join(nodeDir, 'node'));
const nodeOnly = { ...process.env, PATH: nodeDir };
afterAll(() => fs.rmSync(nodeDir, { recursive: true, force: true }));

function runCli(args: string[], until?: RegExp): Promise<{ code: number | null; out: string }> {
  const child = spawn(
    process.execPath,
    [CLI, '--app', CONFORMANCE_APP, '--port', '0', '--storage', 'memory', ...args],
    {
      env: nodeOnly,
    },
  );
  let out = '';
  return new Promise((resolve) => {
    const collect = (chunk: Buffer) => {
      out += chunk.toString();
      if (until?.test(out)) child.kill('SIGTERM');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('the engine choice without .NET', () => {
  it('--engine dtfx exits 2 and says to install the .NET 10 SDK', async () => {
    const { code, out } = await runCli(['--engine', 'dtfx']);
    expect(code).toBe(2);
    expect(out).toContain(
      'The local host could not start: --engine dtfx: the real Durable engine needs .NET',
    );
    expect(out).toContain('install the .NET 10 SDK');
  });

  it('falls back to the emulation with a notice, and the banner says so', async () => {
    const { out } = await runCli([], /Press Ctrl\+C to stop\./);
    expect(out).toMatch(/^Durable engine: the emulation, because the real Durable engine needs \.NET/m);
    expect(out).toContain('Durable engine: emulated (devhost/durable');
  });
});
