/**
 * Processes a test did not start as its own children (a host's .NET engine, the Azurite a data
 * folder's hosts share), watched and stopped by pid.
 */
import { waitFor } from './api-client';

/** Whether process `pid` exists (signal 0 asks without signalling it). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until process `pid` has exited; fails after `timeoutMs`, naming `what`. */
export async function processExit(pid: number, what: string, timeoutMs: number): Promise<void> {
  await waitFor(what, () => Promise.resolve(isRunning(pid) ? undefined : true), {
    timeoutMs,
    intervalMs: 100,
  });
}

/** Asks process `pid` to stop (SIGTERM) and waits for it to exit; SIGKILLs it after `graceMs`. */
export async function stopProcess(pid: number, graceMs = 15_000): Promise<void> {
  if (!isRunning(pid)) return;
  process.kill(pid, 'SIGTERM');
  try {
    await processExit(pid, `process ${pid} to stop`, graceMs);
  } catch {
    if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  }
}
