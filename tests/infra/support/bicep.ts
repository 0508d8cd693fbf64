/**
 * The Bicep CLI for the infra tests, located (and fetched from NuGet when .NET is there) by
 * scripts/bicep-cli.mjs. Without it the infra tests step aside with the reason printed, except in
 * CI, which has .NET and must run them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The project root. */
export const ROOT = path.resolve(__dirname, '../../..');
/** The template azd provisions. */
export const MAIN_BICEP = path.join(ROOT, 'infra', 'main.bicep');

type Located = { path: string } | { unavailable: string };

let located: Located | undefined;

/** The Bicep binary, or why there is none on this machine. */
export function locateBicep(): Located {
  located ??= JSON.parse(
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'bicep-cli.mjs'), 'where'], {
      encoding: 'utf8',
    }),
  ) as Located;
  return located;
}

/** Runs bicep: exit status and all it printed. */
export function runBicep(
  args: readonly string[],
  options: { offline?: boolean } = {},
): { status: number; output: string } {
  const bicep = locateBicep();
  if (!('path' in bicep)) throw new Error(`no Bicep CLI: ${bicep.unavailable}`);
  const [command, commandArgs] = options.offline
    ? ['unshare', ['--net', bicep.path, ...args]]
    : [bicep.path, [...args]];
  const result = spawnSync(command, commandArgs, { encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status ?? 1, output: `${result.stdout}${result.stderr}`.trim() };
}

/** True when this process may run a command without network access (`unshare --net` needs root). */
export function canRunOffline(): boolean {
  return process.getuid?.() === 0 && spawnSync('unshare', ['--net', 'true']).status === 0;
}

/**
 * `describe` that runs when the Bicep CLI is available; otherwise prints why and skips, or fails in
 * CI (CI=true), where .NET is installed and these checks must run.
 */
export function describeWithBicep(name: string, body: () => void): void {
  const bicep = locateBicep();
  if ('path' in bicep) {
    describe(name, body);
    return;
  }
  if (process.env.CI) {
    describe(name, () => {
      it('has the Bicep CLI (CI must run the template checks)', () => {
        throw new Error(`The Bicep CLI is not available in CI: ${bicep.unavailable}`);
      });
    });
    return;
  }
  process.stderr.write(`Skipping "${name}": ${bicep.unavailable}.\n`);
  describe.skip(`${name} (skipped: ${bicep.unavailable})`, body);
}

let compiled: Record<string, unknown> | undefined;

/** infra/main.bicep compiled to ARM JSON (once per test file). */
export function compiledTemplate(): Record<string, unknown> {
  if (compiled) return compiled;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bicep-build-'));
  try {
    const { status, output } = runBicep(['build', MAIN_BICEP, '--outdir', out]);
    if (status !== 0) throw new Error(`bicep build failed:\n${output}`);
    compiled = JSON.parse(fs.readFileSync(path.join(out, 'main.json'), 'utf8')) as Record<string, unknown>;
    return compiled;
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}
