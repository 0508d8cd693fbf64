/**
 * Sends three entity queries with TableQuery to the HTTPS table endpoint in TABLE_URL (trusted
 * through NODE_EXTRA_CA_CERTS), authenticated by a token credential, and prints one JSON line: the
 * pages and the scopes the credential was asked for, or the error.
 */
import type { AccessToken, TokenCredential } from '@azure/identity';
import { odata, TableClient } from '@azure/data-tables';
import { TableQuery } from '../../../azure-tables/table-query';

/** A token credential as `@azure/identity`'s are: a token per call, with its expiry. */
class CountingTokenCredential implements TokenCredential {
  readonly scopes: string[][] = [];

  getToken(scopes: string | string[]): Promise<AccessToken> {
    this.scopes.push(typeof scopes === 'string' ? [scopes] : scopes);
    return Promise.resolve({
      token: `token-${this.scopes.length}`,
      expiresOnTimestamp: Date.now() + 3_600_000,
    });
  }
}

async function main(): Promise<void> {
  const credential = new CountingTokenCredential();
  const client = new TableClient(process.env.TABLE_URL ?? '', 'Tokens', credential);
  const query = new TableQuery(client);
  const pages: unknown[] = [];
  for (let i = 0; i < 3; i += 1) pages.push((await query.pages(odata`PartitionKey eq ${'p'}`).next()).value);
  console.log(JSON.stringify({ ok: true, pages, scopes: credential.scopes }));
}

main().catch((error: unknown) => {
  console.log(JSON.stringify({ ok: false, message: String(error) }));
});
