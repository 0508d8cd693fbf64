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
 * Stores `keys` as the keys file `file` unless it exists, and returns the keys the file holds. Hosts
 * started at once on one data folder (instances sharing it, as tests start them) may all find no
 * file: the file is written whole under another name and linked into place, which fails for all
 * but the first, so none reads it half written and every host takes the first one's keys.
 */
export function storeKeysOnce(file: string, keys: HostKeys): HostKeys {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const draft = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  fs.writeFileSync(draft, JSON.stringify(keys, null, 2) + '\n', { mode: 0o600 });
  try {
    fs.linkSync(draft, file);
    return keys;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readKeyFile(file) ?? keys;
    // A file system without hard links: moved into place whole (the last of simultaneous hosts wins).
    fs.renameSync(draft, file);
    return keys;
  } finally {
    fs.rmSync(draft, { force: true });
  }
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
    stored =
      readKeyFile(file) ?? storeKeysOnce(file, { functionKey: generateKey(), masterKey: generateKey() });
  }
  const keys = stored ?? { functionKey: generateKey(), masterKey: generateKey() };
  return {
    functionKey: source.env.DEVHOST_FUNCTION_KEY || keys.functionKey,
    masterKey: source.env.DEVHOST_MASTER_KEY || keys.masterKey,
  };
}
