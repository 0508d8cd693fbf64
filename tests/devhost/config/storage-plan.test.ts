import path from 'node:path';
import { isDevelopmentStorage, planStorage } from '../../../devhost/config/storage-plan';

describe('planStorage', () => {
  const appDir = '/apps/shop';

  it('puts Azurite data under <app>/.devhost by default and reuses a live Azurite there', () => {
    expect(planStorage({ kind: 'azurite', appDir, appStorage: undefined })).toEqual({
      kind: 'azurite',
      dataDir: path.join(appDir, '.devhost'),
      azurite: { location: path.join(appDir, '.devhost'), inMemory: false, reuse: true },
      pointAppStorageAtAzurite: true,
      durableStore: 'table',
    });
  });

  it('keeps durable state in memory and starts an in-memory Azurite for the app storage in memory mode', () => {
    expect(planStorage({ kind: 'memory', appDir, appStorage: 'UseDevelopmentStorage=true' })).toEqual({
      kind: 'memory',
      azurite: { inMemory: true, reuse: false },
      pointAppStorageAtAzurite: true,
      durableStore: 'memory',
    });
  });

  it('starts no Azurite in memory mode when a real connection is configured, but keeps a given data folder', () => {
    expect(
      planStorage({
        kind: 'memory',
        appDir,
        dataDir: '/data',
        appStorage: 'DefaultEndpointsProtocol=https;AccountName=x',
      }),
    ).toEqual({ kind: 'memory', dataDir: '/data', pointAppStorageAtAzurite: false, durableStore: 'memory' });
  });
});

describe('isDevelopmentStorage', () => {
  it('recognises the shortcut with any casing and extra options, and nothing else', () => {
    expect(isDevelopmentStorage('UseDevelopmentStorage=true')).toBe(true);
    expect(isDevelopmentStorage('usedevelopmentstorage=TRUE;DevelopmentStorageProxyUri=http://x')).toBe(true);
    expect(isDevelopmentStorage('UseDevelopmentStorage=false')).toBe(false);
    expect(isDevelopmentStorage('DefaultEndpointsProtocol=https;AccountName=x')).toBe(false);
  });
});
