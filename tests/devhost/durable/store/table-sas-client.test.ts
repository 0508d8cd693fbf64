import { azuriteConnectionString } from '../../../../devhost/azurite/connection-string';
import { sasTableClient } from '../../../../devhost/durable/store/table-sas-client';

const connectionString = azuriteConnectionString({ blobPort: 10000, queuePort: 10001, tablePort: 10002 });
const accountUrl = 'http://127.0.0.1:10002/devstoreaccount1';
const HOUR = 3_600_000;

function expiryOf(signature: string): number {
  return Date.parse(new URLSearchParams(signature).get('se') ?? '');
}

describe('the engine table client under a SAS', () => {
  it('signs a SAS for the table service that lasts a week and renews it a day before it ends', () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const sas = sasTableClient(
      connectionString,
      accountUrl,
      'HubDevhostState',
      { allowInsecureConnection: true },
      () => now,
    )!;
    const first = sas.credential.signature;
    expect(new URLSearchParams(first).get('ss')).toBe('t');
    expect(expiryOf(first)).toBe(now + 7 * 24 * HOUR);
    now += 5 * 24 * HOUR;
    sas.renew();
    expect(sas.credential.signature).toBe(first);
    now += 24 * HOUR;
    sas.renew();
    expect(expiryOf(sas.credential.signature)).toBe(now + 7 * 24 * HOUR);
  });

  it('leaves a connection string without an account key to its own client', () => {
    const withSas =
      'TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;SharedAccessSignature=sv=2019-02-02&sig=x';
    expect(
      sasTableClient(withSas, accountUrl, 'HubDevhostState', { allowInsecureConnection: true }),
    ).toBeUndefined();
    expect(
      sasTableClient('UseDevelopmentStorage=true', accountUrl, 'T', { allowInsecureConnection: true }),
    ).toBeUndefined();
  });
});
