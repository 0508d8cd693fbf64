import { z } from 'zod';
import { ConfigurationError } from '../../core/errors';

/** Where the run store lives: a connection string, or a table endpoint reached with Entra ID. */
export type StorageSettings =
  | { kind: 'connection-string'; connectionString: string; tablePrefix: string }
  | { kind: 'identity'; tableServiceUri: string; managedIdentityClientId?: string; tablePrefix: string };

const tablePrefixSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9]{2,40}$/, 'must start with a letter and hold 3 to 41 letters or digits');

/**
 * Reads the storage settings the run store uses, from the same app settings Azure Functions uses for
 * `AzureWebJobsStorage`: a connection string, or identity-based `AzureWebJobsStorage__tableServiceUri`
 * / `AzureWebJobsStorage__accountName` (+ optional `AzureWebJobsStorage__clientId`). Tables are named
 * after the task hub (`DURABLE_HANDOFF_TASK_HUB`, default `DurableHandoff`), so two apps sharing an
 * account stay apart as their Durable task hubs do.
 */
export function loadStorageSettings(env: Record<string, string | undefined> = process.env): StorageSettings {
  const hub = env.DURABLE_HANDOFF_TASK_HUB?.trim() || 'DurableHandoff';
  const prefix = tablePrefixSchema.safeParse(hub);
  if (!prefix.success) {
    throw new ConfigurationError(
      'DURABLE_HANDOFF_TASK_HUB',
      `DURABLE_HANDOFF_TASK_HUB '${hub}' cannot name storage tables: it ${prefix.error.issues[0]?.message ?? 'is invalid'}.`,
    );
  }
  const connectionString = env.AzureWebJobsStorage?.trim();
  if (connectionString) return { kind: 'connection-string', connectionString, tablePrefix: hub };

  const clientId = env.AzureWebJobsStorage__clientId?.trim();
  const explicitUri = env.AzureWebJobsStorage__tableServiceUri?.trim();
  const account = env.AzureWebJobsStorage__accountName?.trim();
  const tableServiceUri = explicitUri || (account ? `https://${account}.table.core.windows.net` : undefined);
  if (tableServiceUri) {
    if (!z.url().safeParse(tableServiceUri).success) {
      throw new ConfigurationError(
        'AzureWebJobsStorage__tableServiceUri',
        `AzureWebJobsStorage__tableServiceUri '${tableServiceUri}' is not a URL (expected e.g. https://myaccount.table.core.windows.net).`,
      );
    }
    return {
      kind: 'identity',
      tableServiceUri,
      tablePrefix: hub,
      ...(clientId ? { managedIdentityClientId: clientId } : {}),
    };
  }
  throw new ConfigurationError(
    'AzureWebJobsStorage',
    'No storage is configured for the run store. Set AzureWebJobsStorage to a connection string ' +
      '(locally: UseDevelopmentStorage=true with Azurite, or run `npm start`, which starts Azurite for you), ' +
      'or use identity-based AzureWebJobsStorage__accountName.',
  );
}
