import { ConfigurationError } from '../../../src/core/errors';
import { loadStorageSettings } from '../../../src/durable/store/storage-settings';

const CLIENT_ID = '6f1c2a3b-0000-4000-8000-000000000001';

describe('loadStorageSettings', () => {
  it('uses the connection string when AzureWebJobsStorage is set, as the Functions host does', () => {
    expect(loadStorageSettings({ AzureWebJobsStorage: 'UseDevelopmentStorage=true' })).toEqual({
      kind: 'connection-string',
      connectionString: 'UseDevelopmentStorage=true',
      tablePrefix: 'DurableHandoff',
    });
  });

  it('reads the identity-based settings the template sets: table URI, managed identity, client id', () => {
    const settings = loadStorageSettings({
      AzureWebJobsStorage__tableServiceUri: 'https://stapp.table.core.windows.net/',
      AzureWebJobsStorage__blobServiceUri: 'https://stapp.blob.core.windows.net/',
      AzureWebJobsStorage__credential: 'managedidentity',
      AzureWebJobsStorage__clientId: CLIENT_ID,
      DURABLE_HANDOFF_TASK_HUB: 'Prod',
    });
    expect(settings).toEqual({
      kind: 'identity',
      tableServiceUri: 'https://stapp.table.core.windows.net/',
      credential: { kind: 'managed-identity', clientId: CLIENT_ID },
      tablePrefix: 'Prod',
    });
  });

  it('derives the table endpoint from AzureWebJobsStorage__accountName', () => {
    expect(
      loadStorageSettings({
        AzureWebJobsStorage__accountName: 'stapp',
        AzureWebJobsStorage__credential: 'ManagedIdentity',
      }),
    ).toMatchObject({
      kind: 'identity',
      tableServiceUri: 'https://stapp.table.core.windows.net',
      credential: { kind: 'managed-identity' },
    });
  });

  it('names the user-assigned identity by resource id when __managedIdentityResourceId is set', () => {
    const resourceId =
      '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id';
    expect(
      loadStorageSettings({
        AzureWebJobsStorage__accountName: 'stapp',
        AzureWebJobsStorage__credential: 'managedidentity',
        AzureWebJobsStorage__managedIdentityResourceId: resourceId,
      }),
    ).toMatchObject({ credential: { kind: 'managed-identity', resourceId } });
  });

  it('falls back to DefaultAzureCredential without __credential (a developer signed in with az login)', () => {
    expect(
      loadStorageSettings({
        AzureWebJobsStorage__accountName: 'stapp',
        AzureWebJobsStorage__clientId: CLIENT_ID,
      }),
    ).toMatchObject({ credential: { kind: 'default', managedIdentityClientId: CLIENT_ID } });
  });

  it('rejects a credential kind the host does not know, naming the setting', () => {
    const read = (): unknown =>
      loadStorageSettings({
        AzureWebJobsStorage__accountName: 'stapp',
        AzureWebJobsStorage__credential: 'secret',
      });
    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow(/AzureWebJobsStorage__credential 'secret' is not supported/);
  });

  it('rejects both a client id and a resource id for the identity', () => {
    expect(() =>
      loadStorageSettings({
        AzureWebJobsStorage__accountName: 'stapp',
        AzureWebJobsStorage__credential: 'managedidentity',
        AzureWebJobsStorage__clientId: CLIENT_ID,
        AzureWebJobsStorage__managedIdentityResourceId: '/subscriptions/s/x',
      }),
    ).toThrow(/either AzureWebJobsStorage__clientId or AzureWebJobsStorage__managedIdentityResourceId/);
  });

  it('rejects a table endpoint that is not an http(s) URL', () => {
    expect(() => loadStorageSettings({ AzureWebJobsStorage__tableServiceUri: 'stapp.table' })).toThrow(
      /AzureWebJobsStorage__tableServiceUri 'stapp.table' is not a URL/,
    );
  });

  it('says how to configure storage when nothing is set', () => {
    expect(() => loadStorageSettings({})).toThrow(/AzureWebJobsStorage__credential=managedidentity/);
  });
});
