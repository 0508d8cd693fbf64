import path from 'node:path';
import {
  hasIdentityBasedStorage,
  isDevelopmentStorage,
  planStorage,
} from '../../../devhost/config/storage-plan';

describe('planStorage', () => {
  const appDir = '/apps/shop';

  it('puts Azurite data under <app>/.devhost by default and reuses a live Azurite there', () => {
    expect(planStorage({ kind: 'azurite', appDir, appStorage: undefined })).toEqual({
      kind: 'azurite',
      dataDir: path.join(appDir, '.devhost'),
      azurite: { location: path.join(appDir, '.devhost'), inMemory: false, reuse: true },
      pointAppStorageAtAzurite: true,
      appStorage: 'azurite',
      durableStore: 'table',
    });
  });

  it('keeps durable state in memory and starts an in-memory Azurite for the app storage in memory mode', () => {
    expect(planStorage({ kind: 'memory', appDir, appStorage: 'UseDevelopmentStorage=true' })).toEqual({
      kind: 'memory',
      azurite: { inMemory: true, reuse: false },
      pointAppStorageAtAzurite: true,
      appStorage: 'azurite',
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
    ).toEqual({
      kind: 'memory',
      dataDir: '/data',
      pointAppStorageAtAzurite: false,
      appStorage: 'connection-string',
      durableStore: 'memory',
    });
  });

  it('leaves an identity-based connection alone: no Azurite for the app, and no connection string set', () => {
    expect(planStorage({ kind: 'memory', appDir, appStorage: undefined, appStorageIdentity: true })).toEqual({
      kind: 'memory',
      pointAppStorageAtAzurite: false,
      appStorage: 'identity',
      durableStore: 'memory',
    });
    // The engine's own state still goes to the Azurite the host starts; the app's storage does not.
    expect(planStorage({ kind: 'azurite', appDir, appStorage: '', appStorageIdentity: true })).toMatchObject({
      azurite: { inMemory: false, reuse: true },
      pointAppStorageAtAzurite: false,
      appStorage: 'identity',
    });
  });

  it('lets a connection string win over identity-based settings, as the Functions host does', () => {
    expect(
      planStorage({
        kind: 'memory',
        appDir,
        appStorage: 'UseDevelopmentStorage=true',
        appStorageIdentity: true,
      }),
    ).toMatchObject({ pointAppStorageAtAzurite: true, appStorage: 'azurite' });
  });
});

describe('hasIdentityBasedStorage', () => {
  it('sees a service URI or account name under AzureWebJobsStorage__, and ignores empty values and credentials alone', () => {
    expect(
      hasIdentityBasedStorage({ AzureWebJobsStorage__tableServiceUri: 'https://a.table.core.windows.net' }),
    ).toBe(true);
    expect(hasIdentityBasedStorage({ AzureWebJobsStorage__accountName: 'shop' })).toBe(true);
    expect(hasIdentityBasedStorage({ AzureWebJobsStorage__blobServiceUri: ' ' })).toBe(false);
    expect(hasIdentityBasedStorage({ AzureWebJobsStorage__credential: 'managedidentity' })).toBe(false);
    expect(hasIdentityBasedStorage({ AzureWebJobsStorage: 'UseDevelopmentStorage=true' })).toBe(false);
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
