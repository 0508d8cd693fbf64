/**
 * `<data>/azurite.json`: which Azurite serves a data folder, so a restarted host reconnects to the
 * live one instead of starting a second Azurite on the same files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Contents of azurite.json. */
export const AzuriteStateSchema = z.object({
  pid: z.number().int().positive(),
  blobPort: z.number().int().positive(),
  queuePort: z.number().int().positive(),
  tablePort: z.number().int().positive(),
  inMemory: z.boolean(),
});
/** A running Azurite, as recorded. */
export type AzuriteState = z.infer<typeof AzuriteStateSchema>;

/** The state file of a data folder. */
export function stateFile(location: string): string {
  return path.join(location, 'azurite.json');
}

/** Reads the state file; undefined when missing or unreadable. */
export function readAzuriteState(location: string): AzuriteState | undefined {
  try {
    const parsed = AzuriteStateSchema.safeParse(JSON.parse(fs.readFileSync(stateFile(location), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the state file. */
export function writeAzuriteState(location: string, state: AzuriteState): void {
  fs.writeFileSync(stateFile(location), `${JSON.stringify(state, null, 2)}\n`);
}

/** Removes the state file if it still describes `pid`. */
export function clearAzuriteState(location: string, pid: number): void {
  if (readAzuriteState(location)?.pid === pid) fs.rmSync(stateFile(location), { force: true });
}

/** True when a process with this pid exists (signal 0 probes without signalling). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
