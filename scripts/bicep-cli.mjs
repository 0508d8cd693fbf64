// The Bicep CLI for infra/ checks, from NuGet (package Azure.Bicep.CommandLine.linux-x64, pinned):
// a throwaway project under .tools/bicep lists it as a PackageDownload and `dotnet restore` puts the
// binary in the NuGet packages folder. The CLI bundles the Azure resource types, so building and
// linting need no network once it is there.
//
//   node scripts/bicep-cli.mjs fetch   prints the binary's path (fetching it first if needed)
//   node scripts/bicep-cli.mjs where   prints {"path"} or {"unavailable": reason} as JSON, fetching if it can
//   node scripts/bicep-cli.mjs check   builds and lints infra/main.bicep; any diagnostic fails
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BICEP_VERSION = '0.49.2';
const PACKAGE = 'Azure.Bicep.CommandLine.linux-x64';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function nugetPackagesFolder() {
  return process.env.NUGET_PACKAGES || path.join(os.homedir(), '.nuget', 'packages');
}

function binaryPath() {
  return path.join(nugetPackagesFolder(), PACKAGE.toLowerCase(), BICEP_VERSION, 'tools', 'bicep');
}

function hasDotnet() {
  return spawnSync('dotnet', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** The binary's path, or the reason it cannot be had on this machine. */
export function locateBicep() {
  if (process.env.BICEP_PATH) return { path: process.env.BICEP_PATH };
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return {
      unavailable: `the pinned Bicep CLI package is for linux-x64; this is ${process.platform}-${process.arch}`,
    };
  }
  const binary = binaryPath();
  if (existsSync(binary)) return { path: binary };
  if (!hasDotnet())
    return { unavailable: 'the .NET SDK (dotnet) is not installed; it fetches the Bicep CLI from NuGet' };
  const project = path.join(root, '.tools', 'bicep');
  mkdirSync(project, { recursive: true });
  writeFileSync(
    path.join(project, 'fetch-bicep.csproj'),
    [
      '<Project Sdk="Microsoft.NET.Sdk">',
      '  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>',
      `  <ItemGroup><PackageDownload Include="${PACKAGE}" Version="[${BICEP_VERSION}]" /></ItemGroup>`,
      '</Project>',
      '',
    ].join('\n'),
  );
  execFileSync('dotnet', ['restore', project], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (!existsSync(binary)) throw new Error(`dotnet restore finished but ${binary} is missing`);
  return { path: binary };
}

/** Runs bicep; returns its exit status and everything it printed. */
export function runBicep(bicep, args) {
  const result = spawnSync(bicep, args, { encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status ?? 1, output: `${result.stdout}${result.stderr}`.trim() };
}

function check() {
  const located = locateBicep();
  if (!located.path) {
    console.error(`bicep: ${located.unavailable}`);
    process.exit(1);
  }
  const out = mkdtempSync(path.join(os.tmpdir(), 'bicep-build-'));
  try {
    const main = path.join(root, 'infra', 'main.bicep');
    for (const args of [
      ['build', main, '--outdir', out],
      ['lint', main],
    ]) {
      const { status, output } = runBicep(located.path, args);
      if (status !== 0 || output !== '') {
        console.error(`bicep ${args[0]} failed (a warning counts):\n${output}`);
        process.exit(1);
      }
      console.log(`bicep ${args[0]}: no diagnostics`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const command = process.argv[2];
  if (command === 'fetch') {
    const located = locateBicep();
    if (!located.path) {
      console.error(`bicep: ${located.unavailable}`);
      process.exit(1);
    }
    console.log(located.path);
  } else if (command === 'where') {
    try {
      console.log(JSON.stringify(locateBicep()));
    } catch (error) {
      console.log(JSON.stringify({ unavailable: `fetching it failed: ${error.message}` }));
    }
  } else if (command === 'check') {
    check();
  } else {
    console.error('usage: node scripts/bicep-cli.mjs fetch|where|check');
    process.exit(2);
  }
}
