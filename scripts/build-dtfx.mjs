// Builds the real Durable engine's .NET host (devhost/dtfx) when `dotnet` is on PATH; without it,
// says so and succeeds: the local host then runs the emulated engine (devhost/README.md, "Engines").
// The output stays in devhost/dtfx/bin (not dist/, which every build wipes), so rebuilds are
// incremental. A failing build fails `npm run build` (CI has .NET and must not lose the engine).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const project = path.join(root, 'devhost', 'dtfx', 'DurableHandoff.Dtfx.csproj');
const env = { ...process.env, DOTNET_NOLOGO: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1' };

if (spawnSync('dotnet', ['--version'], { stdio: 'ignore', env }).status !== 0) {
  console.log(
    'build-dtfx: no .NET SDK (dotnet) here; skipped the real Durable engine (devhost/dtfx). ' +
      'The local host runs the emulated engine; install the .NET 10 SDK to get the real one.',
  );
  process.exit(0);
}
const build = spawnSync(
  'dotnet',
  ['build', project, '-c', 'Release', '--nologo', '-v', 'quiet', '-clp:ErrorsOnly'],
  { stdio: 'inherit', env },
);
if (build.status !== 0) {
  console.error('build-dtfx: dotnet build of devhost/dtfx failed (see above).');
  process.exit(build.status ?? 1);
}
