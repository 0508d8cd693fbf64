import { z } from 'zod';
import { ConfigurationError } from '../../core/errors';

/**
 * How an identity-based connection gets its tokens, as the Functions host decides it from
 * `AzureWebJobsStorage__credential`: `managedidentity` means the platform's managed identity
 * (user-assigned when a client id or resource id is given); unset means `DefaultAzureCredential`
 * (a developer's `az login`, environment credentials...).
 */
export type StorageCredentialChoice =
  | { kind: 'managed-identity'; clientId?: string; resourceId?: string }
  | { kind: 'default'; managedIdentityClientId?: string };

/** Where the run store lives: a connection string, or a table endpoint reached with Entra ID. */
export type StorageSettings =
  | { kind: 'connection-string'; connectionString: string; tablePrefix: string }
  | { kind: 'identity'; tableServiceUri: string; credential: StorageCredentialChoice; tablePrefix: string };

const tablePrefixSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9]{2,40}$/, 'must start with a letter and hold 3 to 41 letters or digits');

type Env = Readonly<Record<string, string | undefined>>;

const setting = (env: Env, name: string): string | undefined => env[name]?.trim() || undefined;

function credentialChoice(env: Env): StorageCredentialChoice {
  const credential = setting(env, 'AzureWebJobsStorage__credential');
  const clientId = setting(env, 'AzureWebJobsStorage__clientId');
  const resourceId = setting(env, 'AzureWebJobsStorage__managedIdentityResourceId');
  if (credential === undefined)
    return { kind: 'default', ...(clientId ? { managedIdentityClientId: clientId } : {}) };
  if (credential.toLowerCase() !== 'managedidentity') {
    throw new ConfigurationError(
      'AzureWebJobsStorage__credential',
      `AzureWebJobsStorage__credential '${credential}' is not supported. Set it to managedidentity (with ` +
        'AzureWebJobsStorage__clientId for a user-assigned identity), or leave it unset to use DefaultAzureCredential.',
    );
  }
  if (clientId && resourceId) {
    throw new ConfigurationError(
      'AzureWebJobsStorage__managedIdentityResourceId',
      'Set either AzureWebJobsStorage__clientId or AzureWebJobsStorage__managedIdentityResourceId, not both: ' +
        'each names the user-assigned identity.',
    );
  }
  return {
    kind: 'managed-identity',
    ...(clientId ? { clientId } : {}),
    ...(resourceId ? { resourceId } : {}),
  };
}

/**
 * Reads the storage settings the run store uses, from the same app settings the Functions host reads
 * for `AzureWebJobsStorage`: a connection string, or an identity-based connection
 * (`AzureWebJobsStorage__tableServiceUri`, or `AzureWebJobsStorage__accountName` for the account's
 * default endpoint, with `AzureWebJobsStorage__credential` / `__clientId` /
 * `__managedIdentityResourceId`). Tables are named after the task hub (`DURABLE_HANDOFF_TASK_HUB`,
 * default `DurableHandoff`), so two apps sharing an account stay apart as their Durable task hubs do.
 */
export function loadStorageSettings(env: Env = process.env): StorageSettings {
  const hub = setting(env, 'DURABLE_HANDOFF_TASK_HUB') ?? 'DurableHandoff';
  const prefix = tablePrefixSchema.safeParse(hub);
  if (!prefix.success) {
    throw new ConfigurationError(
      'DURABLE_HANDOFF_TASK_HUB',
      `DURABLE_HANDOFF_TASK_HUB '${hub}' cannot name storage tables: it ${prefix.error.issues[0]?.message ?? 'is invalid'}.`,
    );
  }
  const connectionString = setting(env, 'AzureWebJobsStorage');
  if (connectionString) return { kind: 'connection-string', connectionString, tablePrefix: hub };

  const explicitUri = setting(env, 'AzureWebJobsStorage__tableServiceUri');
  const account = setting(env, 'AzureWebJobsStorage__accountName');
  const tableServiceUri = explicitUri ?? (account ? `https://${account}.table.core.windows.net` : undefined);
  if (tableServiceUri) {
    if (!z.url({ protocol: /^https?$/ }).safeParse(tableServiceUri).success) {
      throw new ConfigurationError(
        'AzureWebJobsStorage__tableServiceUri',
        `AzureWebJobsStorage__tableServiceUri '${tableServiceUri}' is not a URL (expected e.g. https://myaccount.table.core.windows.net).`,
      );
    }
    return { kind: 'identity', tableServiceUri, credential: credentialChoice(env), tablePrefix: hub };
  }
  throw new ConfigurationError(
    'AzureWebJobsStorage',
    'No storage is configured for the run store. Set AzureWebJobsStorage to a connection string ' +
      '(locally: UseDevelopmentStorage=true with Azurite, or run `npm start`, which starts Azurite for you), ' +
      'or use an identity-based connection: AzureWebJobsStorage__tableServiceUri (or __accountName) with ' +
      'AzureWebJobsStorage__credential=managedidentity and AzureWebJobsStorage__clientId.',
  );
}
