/**
 * The pieces of an identity-only app environment for tests: Azurite with OAuth checking over HTTPS,
 * a managed identity endpoint, and the app settings the deploy template sets for them (identity-based
 * AzureWebJobsStorage, no key). Tests assert that nothing key-like reaches the app.
 */
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { DEV_ACCOUNT_KEY } from '../../../devhost/azurite/connection-string';
import { startManagedIdentityEndpoint, type ManagedIdentityEndpoint } from './managed-identity-endpoint';
import { startOAuthAzurite, type OAuthAzurite } from './oauth-azurite';
import { makeSelfSignedCertificate, type CertificateFiles } from '../../support/self-signed-certificate';

/** The client id of the app's user-assigned identity in these tests. */
export const APP_CLIENT_ID = '3f2a8c1e-5b7d-4e9a-8c6f-0d1e2f3a4b5c';

/** What an identity-only test runs against. */
export interface IdentityEnvironment {
  dir: string;
  certificate: CertificateFiles;
  azurite: OAuthAzurite;
  identity: ManagedIdentityEndpoint;
  stop(): Promise<void>;
}

/** Starts Azurite (OAuth, HTTPS) and the managed identity endpoint. */
export async function startIdentityEnvironment(): Promise<IdentityEnvironment> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'identity-only-'));
  const certificate = makeSelfSignedCertificate(dir);
  const started: { azurite?: OAuthAzurite; identity?: ManagedIdentityEndpoint } = {};
  const stop = async (): Promise<void> => {
    await started.identity?.stop();
    await started.azurite?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    started.azurite = await startOAuthAzurite(certificate, dir);
    started.identity = await startManagedIdentityEndpoint();
    return { dir, certificate, azurite: started.azurite, identity: started.identity, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The app's whole environment: the identity-based storage settings the deploy template sets (here
 * pointed at Azurite), the platform's managed identity variables, and the test certificate as a
 * trusted CA. Nothing else is inherited from the test process.
 */
export function identityOnlyAppEnvironment(
  env: IdentityEnvironment,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    NODE_EXTRA_CA_CERTS: env.certificate.cert,
    IDENTITY_ENDPOINT: env.identity.url,
    IDENTITY_HEADER: env.identity.header,
    AzureWebJobsStorage__tableServiceUri: env.azurite.tableServiceUri,
    AzureWebJobsStorage__credential: 'managedidentity',
    AzureWebJobsStorage__clientId: APP_CLIENT_ID,
    AZURE_CLIENT_ID: APP_CLIENT_ID,
    ...extra,
  };
}

/** Settings whose value holds an account key, a SAS or a key-bearing connection string. */
export function keyBearingSettings(env: Record<string, string>): string[] {
  return Object.entries(env)
    .filter(
      ([, value]) =>
        value.includes(DEV_ACCOUNT_KEY) ||
        /AccountKey=|SharedAccessSignature=|[?&]sig=|UseDevelopmentStorage/i.test(value),
    )
    .map(([name]) => name);
}

/** A raw request to Azurite's Table service (list tables), with or without a bearer token. */
export function listTables(
  env: IdentityEnvironment,
  token?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(`${env.azurite.tableServiceUri}/Tables`);
    const req = https.request(
      url,
      {
        method: 'GET',
        ca: fs.readFileSync(env.certificate.cert),
        headers: {
          accept: 'application/json;odata=nometadata',
          'x-ms-version': '2019-02-02',
          'x-ms-date': new Date().toUTCString(),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
