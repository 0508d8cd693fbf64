import { applyLocalSettings, readLocalSettings } from '../../../devhost/config/local-settings';
import { tempFolder } from './temp-app';

describe('readLocalSettings', () => {
  const folders: { remove(): void }[] = [];
  const app = (files: Record<string, string>) => {
    const folder = tempFolder(files);
    folders.push(folder);
    return folder.dir;
  };
  afterEach(() => folders.splice(0).forEach((f) => f.remove()));

  it('returns undefined when the app has no local.settings.json', () => {
    expect(readLocalSettings(app({}))).toBeUndefined();
  });

  it('reads Values as strings and Host.LocalHttpPort', () => {
    const dir = app({
      'local.settings.json': JSON.stringify({
        Values: { A: 'x', B: 2, C: true },
        Host: { LocalHttpPort: 7072, CORS: '*' },
      }),
    });
    expect(readLocalSettings(dir)).toEqual({ values: { A: 'x', B: '2', C: 'true' }, localHttpPort: 7072 });
  });

  it('refuses an encrypted file and says how to decrypt it', () => {
    const dir = app({ 'local.settings.json': JSON.stringify({ IsEncrypted: true, Values: { A: 'x' } }) });
    expect(() => readLocalSettings(dir)).toThrow(/is encrypted .*func settings decrypt/);
  });

  it('names the setting whose value is not a string, number or boolean', () => {
    const dir = app({ 'local.settings.json': JSON.stringify({ Values: { NESTED: { a: 1 } } }) });
    expect(() => readLocalSettings(dir)).toThrow(/Values\.NESTED/);
  });

  it('reports invalid JSON with the file name', () => {
    const dir = app({ 'local.settings.json': '{ "Values": { } ' });
    expect(() => readLocalSettings(dir)).toThrow(/local\.settings\.json is not valid JSON/);
  });
});

describe('applyLocalSettings', () => {
  it('sets only the variables the setter accepts, as func start lets the environment win', () => {
    const env: Record<string, string> = { KEEP: 'process' };
    const setDefault = (name: string, value: string) => {
      if (env[name] !== undefined) return false;
      env[name] = value;
      return true;
    };
    expect(applyLocalSettings({ KEEP: 'settings', NEW: 'settings' }, setDefault)).toEqual(['NEW']);
    expect(env).toEqual({ KEEP: 'process', NEW: 'settings' });
  });
});
