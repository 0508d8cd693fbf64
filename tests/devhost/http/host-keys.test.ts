/**
 * The host keys of a data folder (`<dataDir>/keys.json`), when several hosts start on one folder at
 * once: the first host's keys are the folder's, and no host reads the file half written.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadHostKeys, storeKeysOnce } from '../../../devhost/http/host-keys';

describe('the host keys of a data folder', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'host-keys-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  const file = () => path.join(dataDir, 'keys.json');

  it('creates the keys on first use and gives the same ones after, leaving only keys.json', () => {
    const first = loadHostKeys({ dataDir, env: {} });
    expect(loadHostKeys({ dataDir, env: {} })).toEqual(first);
    expect(JSON.parse(fs.readFileSync(file(), 'utf8'))).toEqual(first);
    expect(fs.readdirSync(dataDir)).toEqual(['keys.json']);
    expect(fs.statSync(file()).mode & 0o777).toBe(0o600);
  });

  it('takes the keys another host stored after this one found no file, instead of overwriting them', () => {
    // Host A found no keys file, then host B (started at the same time) stored its keys.
    const storedByB = { functionKey: 'function-key-of-host-b', masterKey: 'master-key-of-host-b' };
    expect(storeKeysOnce(file(), storedByB)).toEqual(storedByB);
    const drawnByA = { functionKey: 'function-key-of-host-a', masterKey: 'master-key-of-host-a' };
    expect(storeKeysOnce(file(), drawnByA)).toEqual(storedByB);
    expect(JSON.parse(fs.readFileSync(file(), 'utf8'))).toEqual(storedByB);
    expect(fs.readdirSync(dataDir)).toEqual(['keys.json']);
  });

  it('lets DEVHOST_FUNCTION_KEY and DEVHOST_MASTER_KEY win over the stored keys', () => {
    const stored = loadHostKeys({ dataDir, env: {} });
    expect(
      loadHostKeys({
        dataDir,
        env: { DEVHOST_FUNCTION_KEY: 'f-from-env', DEVHOST_MASTER_KEY: 'm-from-env' },
      }),
    ).toEqual({ functionKey: 'f-from-env', masterKey: 'm-from-env' });
    expect(JSON.parse(fs.readFileSync(file(), 'utf8'))).toEqual(stored);
  });
});
