/**
 * Where the real-engine host is built, and whether this machine can run it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The project folder of the .NET host, relative to the repository root. */
export const DTFX_PROJECT_DIR = path.join('devhost', 'dtfx');
const DLL_NAME = 'DurableHandoff.Dtfx.dll';

/** Whether the real engine can run here, and if not, what to install or build. */
export type DtfxAvailability = { ok: true; dll: string } | { ok: false; reason: string };

/** The repository root: the first folder above `from` that holds the .NET host's project. */
export function findRepoRoot(from: string = __dirname): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, DTFX_PROJECT_DIR, 'DurableHandoff.Dtfx.csproj'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The built host's entry assembly (`npm run build` builds it with `dotnet build -c Release`). */
export function dtfxDllPath(root: string): string {
  return path.join(root, DTFX_PROJECT_DIR, 'bin', 'Release', 'net10.0', DLL_NAME);
}

let dotnetChecked: boolean | undefined;

/** True when `dotnet` runs (checked once per process). */
export function hasDotnet(): boolean {
  dotnetChecked ??=
    spawnSync('dotnet', ['--list-runtimes'], { stdio: 'ignore', timeout: 20_000 }).status === 0;
  return dotnetChecked;
}

/**
 * Whether the real engine can run: `dotnet` on PATH (the .NET 10 runtime with ASP.NET Core) and
 * the host built. `DURABLE_HANDOFF_DTFX_DLL` points at a host built elsewhere.
 */
export function dtfxAvailability(env: NodeJS.ProcessEnv = process.env): DtfxAvailability {
  if (!hasDotnet()) {
    return {
      ok: false,
      reason:
        'the real Durable engine needs .NET: install the .NET 10 SDK (https://dotnet.microsoft.com/download), ' +
        'then run npm run build, which builds devhost/dtfx.',
    };
  }
  const root = findRepoRoot();
  const dll = env.DURABLE_HANDOFF_DTFX_DLL ?? (root ? dtfxDllPath(root) : undefined);
  if (!dll || !fs.existsSync(dll)) {
    return {
      ok: false,
      reason: `the real Durable engine is not built (${dll ?? DLL_NAME} is missing): run npm run build, which builds devhost/dtfx with dotnet.`,
    };
  }
  return { ok: true, dll };
}
