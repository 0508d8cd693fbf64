/**
 * An in-memory Azurite for one suite: started before its tests (in a temporary folder named after
 * the suite), stopped and its folder removed after them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startAzurite, type AzuriteHandle } from '../../devhost/azurite/start-azurite';

/**
 * Registers the suite's `beforeAll` / `afterAll` for an Azurite; call it in the `describe`, before
 * the hooks that use it. Returns the running Azurite (from `beforeAll` on). Jest runs `afterAll`
 * hooks in the order they were declared, so a suite whose own `afterAll` still needs Azurite (a
 * store to close, a host to stop) calls it at the file's level instead: it then stops last.
 */
export function useInMemoryAzurite(name: string): () => AzuriteHandle {
  let azurite: AzuriteHandle | undefined;
  let location: string | undefined;
  beforeAll(async () => {
    location = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
    azurite = await startAzurite({ location, inMemory: true });
  }, 60_000);
  afterAll(async () => {
    await azurite?.stop();
    if (location) fs.rmSync(location, { recursive: true, force: true });
  });
  return () => {
    if (!azurite) throw new Error('Azurite starts in beforeAll: use it in a hook or a test.');
    return azurite;
  };
}
