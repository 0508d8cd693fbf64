/**
 * Where and when the bench ran: Node version, CPU, memory, date, and the git commit measured.
 */
import { execFileSync } from 'node:child_process';
import { arch, cpus, loadavg, platform, totalmem } from 'node:os';
import type { z } from 'zod';
import type { MachineSchema } from './bench-results';

/** Machine information for latest.json; `repoDirectory` is the repository measured. */
export function machineInfo(repoDirectory: string): Omit<z.infer<typeof MachineSchema>, 'loadAverage'> {
  const processors = cpus();
  return {
    node: process.version,
    platform: platform(),
    arch: arch(),
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    cores: processors.length,
    totalMemoryMb: Math.round(totalmem() / 1024 / 1024),
    date: new Date().toISOString(),
    gitCommit: git(repoDirectory, ['rev-parse', 'HEAD']) ?? 'unknown',
    gitDirty: (git(repoDirectory, ['status', '--porcelain']) ?? '') !== '',
  };
}

function git(directory: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, {
      cwd: directory,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    // Not a git checkout (e.g. an exported tarball): the figure is reported as unknown.
    return undefined;
  }
}

/** The 1, 5 and 15 minute load averages, rounded to two decimals. */
export function loadAverage(): number[] {
  return loadavg().map((load) => Math.round(load * 100) / 100);
}
