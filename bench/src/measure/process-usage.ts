/**
 * CPU time and memory of other processes, read from Linux's /proc: the child processes of a
 * framework worker (for durable-handoff, the Azurite that plays Azure Storage). Their resources
 * are not the worker's, but they are part of what a run costs on this machine and are reported
 * apart.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** A process's resource use, from /proc. */
export interface ProcessUsage {
  pid: number;
  /** `azurite` for Azurite, else the executable's base name. */
  command: string;
  /** User + system CPU time since the process started, ms. */
  cpuMs: number;
  /** Resident set size now, bytes (VmRSS). */
  rssBytes: number;
  /** Peak resident set size since the process started, bytes (VmHWM). */
  peakRssBytes: number;
}

/** Linux's clock ticks per second for /proc/<pid>/stat times (USER_HZ, 100 on every mainstream build). */
const CLOCK_TICKS_PER_SECOND = 100;

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Parses `/proc/<pid>/stat`: parent pid and CPU ms (the fields after the command name, which may hold spaces). */
export function parseProcStat(stat: string): { parentPid: number; cpuMs: number; systemMs: number } {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is the state, [1] the parent pid, [11] and [12] utime and stime (fields 14 and 15 of the line).
  const ticks = Number(fields[11]) + Number(fields[12]);
  return {
    parentPid: Number(fields[1]),
    cpuMs: (ticks * 1000) / CLOCK_TICKS_PER_SECOND,
    systemMs: (Number(fields[12]) * 1000) / CLOCK_TICKS_PER_SECOND,
  };
}

/** Reads `VmRSS` and `VmHWM` (kB) from `/proc/<pid>/status` text, in bytes (0 when absent). */
export function parseProcStatus(status: string): { rssBytes: number; peakRssBytes: number } {
  const kb = (name: string): number => {
    const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
    return match?.[1] === undefined ? 0 : Number(match[1]) * 1024;
  };
  return { rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
}

/** A short name for a command line (NUL-separated, as in /proc/<pid>/cmdline). */
export function commandName(commandLine: string): string {
  if (commandLine.includes('azurite')) return 'azurite';
  return basename(commandLine.split('\0')[0] ?? '') || '(unknown)';
}

/** The resource use of process `pid` now, or undefined when it is gone (or /proc is missing). */
export function processUsage(pid: number): ProcessUsage | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  const status = readText(`/proc/${pid}/status`);
  if (stat === undefined || status === undefined) return undefined;
  const command = commandName(readText(`/proc/${pid}/cmdline`) ?? '');
  return { pid, command, cpuMs: parseProcStat(stat).cpuMs, ...parseProcStatus(status) };
}

/** The direct child processes of `parentPid` (this process by default); empty where /proc is missing. */
export function childProcessUsage(parentPid: number = process.pid): ProcessUsage[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    const stat = readText(`/proc/${entry}/stat`);
    if (stat === undefined || parseProcStat(stat).parentPid !== parentPid) return [];
    const usage = processUsage(Number(entry));
    return usage === undefined ? [] : [usage];
  });
}
