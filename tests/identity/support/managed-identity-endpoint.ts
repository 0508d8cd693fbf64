/**
 * The managed identity endpoint that App Service and Azure Functions give every instance
 * (IDENTITY_ENDPOINT + IDENTITY_HEADER, API version 2019-08-01), served locally: the app's unchanged
 * ManagedIdentityCredential asks it for tokens exactly as it asks the platform. Tokens carry the
 * claims Azurite's OAuth check reads (audience, issuer, lifetime); like the platform's, they are
 * JWTs, here unsigned because Azurite checks no signature. It records which client ids asked, so a
 * test can tell which identity the app used.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running endpoint. */
export interface ManagedIdentityEndpoint {
  /** IDENTITY_ENDPOINT. */
  url: string;
  /** IDENTITY_HEADER: requests without it are refused, as on the platform. */
  header: string;
  /** Client ids (or '' for the system-assigned identity) of the token requests so far. */
  requestedClientIds: string[];
  /** Resources tokens were asked for. */
  requestedResources: string[];
  /** A token for `resource`, as the endpoint would issue it (for direct requests in tests). */
  tokenFor(resource: string, clientId: string): string;
  stop(): Promise<void>;
}

const TENANT = '72f988bf-0000-4000-8000-00000000d0e5';

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function jwt(resource: string, clientId: string, now: number): string {
  const claims = {
    aud: resource,
    iss: `https://sts.windows.net/${TENANT}/`,
    iat: now - 5,
    nbf: now - 5,
    exp: now + 3600,
    appid: clientId,
    oid: randomUUID(),
    tid: TENANT,
    sub: clientId,
    ver: '1.0',
  };
  return `${base64url({ alg: 'RS256', typ: 'JWT' })}.${base64url(claims)}.${randomBytes(32).toString('base64url')}`;
}

/** Starts the endpoint on a free loopback port. */
export async function startManagedIdentityEndpoint(): Promise<ManagedIdentityEndpoint> {
  const header = randomBytes(16).toString('hex');
  const requestedClientIds: string[] = [];
  const requestedResources: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const resource = url.searchParams.get('resource');
    if (
      req.headers['x-identity-header'] !== header ||
      !resource ||
      url.searchParams.get('api-version') !== '2019-08-01'
    ) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: 'invalid_request',
          error_description: 'missing X-IDENTITY-HEADER, resource or api-version',
        }),
      );
      return;
    }
    const clientId = url.searchParams.get('client_id') ?? '';
    requestedClientIds.push(clientId);
    requestedResources.push(resource);
    const now = Math.floor(Date.now() / 1000);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        access_token: jwt(resource, clientId, now),
        expires_on: String(now + 3600),
        resource,
        token_type: 'Bearer',
        client_id: clientId,
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/msi/token`,
    header,
    requestedClientIds,
    requestedResources,
    tokenFor: (resource, clientId) => jwt(resource, clientId, Math.floor(Date.now() / 1000)),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
