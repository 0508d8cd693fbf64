import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DevhostError } from '../errors';

/** The keys the front door checks: the function key and the master (admin) key. */
export interface HostKeys {
  functionKey: string;
  masterKey: string;
}

/** Where {@link loadHostKeys} takes keys from. */
export interface HostKeySource {
  /** The host's data folder; keys persist in `<dataDir>/keys.json`. Without it keys are fresh. */
  dataDir?: string;
  /** Environment to read `DEVHOST_FUNCTION_KEY` and `DEVHOST_MASTER_KEY` from. */
  env: Readonly<Record<string, string | undefined>>;
}

const keyFile = z.object({ functionKey: z.string().min(1), masterKey: z.string().min(1) });

function generateKey(): string {
  // Same length and alphabet family as the keys Azure generates (base64 of 40 random bytes).
  return randomBytes(40).toString('base64url');
}

function readKeyFile(file: string): HostKeys | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DevhostError(
      'invalid_config',
      `Cannot read the host keys file ${file}: ${(error as Error).message}.`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const result = keyFile.safeParse(parsed);
  if (!result.success) {
    throw new DevhostError(
      'invalid_config',
      `The host keys file ${file} is not {"functionKey": "...", "masterKey": "..."}. Fix it, or delete it to get new keys.`,
    );
  }
  return result.data;
}

/**
 * Returns the host's keys. `DEVHOST_FUNCTION_KEY` / `DEVHOST_MASTER_KEY` win; otherwise the keys
 * come from `<dataDir>/keys.json`, which is created with new random keys on first use so that the
 * keys stay stable across restarts. Without a data folder, new keys are generated every start.
 */
export function loadHostKeys(source: HostKeySource): HostKeys {
  let stored: HostKeys | undefined;
  if (source.dataDir !== undefined) {
    const file = path.join(source.dataDir, 'keys.json');
    stored = readKeyFile(file);
    if (!stored) {
      stored = { functionKey: generateKey(), masterKey: generateKey() };
      fs.mkdirSync(source.dataDir, { recursive: true });
      fs.writeFileSync(file, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 });
    }
  }
  const keys = stored ?? { functionKey: generateKey(), masterKey: generateKey() };
  return {
    functionKey: source.env.DEVHOST_FUNCTION_KEY || keys.functionKey,
    masterKey: source.env.DEVHOST_MASTER_KEY || keys.masterKey,
  };
}
