/**
 * The task hub table's client for the engine's own requests, under a SAS instead of the
 * account key (#16). With the key, the SDK signs every request (a canonical string and an HMAC per
 * request: the largest single item of the local host's CPU per turn with Azurite); a SAS is signed
 * once and sent as query parameters. The extension's storage provider on Azure authenticates without
 * a per-request HMAC too when it uses a managed identity. Creating the table needs the account's
 * rights, so that stays with the connection string's own client.
 */
import {
  AzureNamedKeyCredential,
  AzureSASCredential,
  generateAccountSas,
  TableClient,
} from '@azure/data-tables';

/** How long a SAS is made for, and how long before its end a new one replaces it. */
const SAS_LIFETIME_MS = 7 * 24 * 3_600_000;
const SAS_RENEW_BEFORE_MS = 24 * 3_600_000;

/** The `Name=value` settings of a connection string (names as written). */
function settingsOf(connectionString: string): Map<string, string> {
  const settings = new Map<string, string>();
  for (const part of connectionString.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) settings.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  return settings;
}

/** A table client whose SAS stays valid: call {@link SasTableClient.renew} before each use (a clock read). */
export interface SasTableClient {
  client: TableClient;
  /** The SAS the client sends. */
  credential: AzureSASCredential;
  renew(): void;
}

/**
 * A client of `tableName` under an account SAS (table service) signed with the connection string's account key, at the
 * account URL `accountUrl` (the keyed client's). Undefined when the connection string carries no
 * account key (a SAS connection string or a development shortcut): the keyed client is then used.
 */
export function sasTableClient(
  connectionString: string,
  accountUrl: string,
  tableName: string,
  options: { allowInsecureConnection: boolean },
  now: () => number = Date.now,
): SasTableClient | undefined {
  const settings = settingsOf(connectionString);
  const name = settings.get('AccountName');
  const key = settings.get('AccountKey');
  if (!name || !key) return undefined;
  const signer = new AzureNamedKeyCredential(name, key);
  let renewAt = 0;
  const sign = (): string => {
    const expiresOn = new Date(now() + SAS_LIFETIME_MS);
    renewAt = expiresOn.getTime() - SAS_RENEW_BEFORE_MS;
    // An account SAS for the table service: a table's own SAS does not reach the account's `$batch`
    // endpoint, which every episode commit goes through. It gives no more than the key it is made with.
    return generateAccountSas(signer, {
      services: { table: true },
      resourceTypes: 'sco',
      permissions: { query: true, list: true, add: true, update: true, write: true, delete: true },
      expiresOn,
    }).replace(/^\?/, '');
  };
  const credential = new AzureSASCredential(sign());
  return {
    client: new TableClient(accountUrl, tableName, credential, options),
    credential,
    renew() {
      if (now() >= renewAt) credential.update(sign());
    },
  };
}
