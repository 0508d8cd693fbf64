/**
 * The Table service's Shared Key Lite authorization, as the table client's own credential policy
 * writes it (the `Authorization` header, with the `x-ms-date` it signs and the body's
 * `Content-Length`), for the requests {@link TableRequests} sends on the client's credential.
 *
 * https://learn.microsoft.com/en-us/rest/api/storageservices/authorize-with-shared-key#shared-key-lite-and-table-service-format-for-2009-09-19-and-later:
 * the string to sign is the request's date and its canonicalized resource (`/<account><path>`, plus
 * `?comp=<value>` when the query names one), signed with HMAC-SHA256 under the account key.
 *
 * Why not the SDK's policy: it parses the request URL, decodes the base64 key and computes the HMAC
 * for every request. The date has a resolution of one second and the run store sends its
 * transactions to one URL, so consecutive requests mostly sign the same string: the signature of
 * the last string signed is kept (with the name and key it was signed under), and the key's bytes
 * once per key. The header values sent are the same as the SDK's for the same request and second.
 */
import { createHmac } from 'node:crypto';
import type { PipelinePolicy, PipelineRequest } from '@azure/core-rest-pipeline';

/** An account name and key, read at every request (a rotated key takes effect at once, as in the SDK). */
export interface NamedKey {
  readonly name: string;
  readonly key: string;
}

/** The shared key a table client signs with, when it has one (a connection string with an account key). */
export function namedKeyOf(client: object): NamedKey | undefined {
  // The client keeps its credential in a field TypeScript calls private; the SDK's policy reads it
  // the same way at every request.
  const credential = (client as { credential?: unknown }).credential;
  if (typeof credential !== 'object' || credential === null) return undefined;
  const { name, key } = credential as { name?: unknown; key?: unknown };
  return typeof name === 'string' && typeof key === 'string' ? (credential as NamedKey) : undefined;
}

/** The canonicalized resource of a request URL: `/<account><path>`, with `?comp=` when set. */
export function canonicalizedResource(account: string, url: string): string {
  const parsed = new URL(url);
  const comp = parsed.searchParams.get('comp');
  return `/${account}${parsed.pathname || '/'}${comp ? `?comp=${comp}` : ''}`;
}

/** The signing policy, under the SDK policy's name, so it takes that policy's place in a chain. */
export function sharedKeyLitePolicy(credential: NamedKey): PipelinePolicy {
  let keyText: string | undefined;
  let keyBytes: Buffer | undefined;
  let lastUrl: string | undefined;
  let lastAccount: string | undefined;
  let lastResource = '';
  let signed: { name: string; keyText: string; text: string; header: string } | undefined;
  let dateSecond = Number.NaN;
  let dateText = '';

  const resourceOf = (account: string, url: string): string => {
    if (url !== lastUrl || account !== lastAccount) {
      lastResource = canonicalizedResource(account, url);
      lastUrl = url;
      lastAccount = account;
    }
    return lastResource;
  };

  const now = (): string => {
    const second = Math.floor(Date.now() / 1000);
    if (second !== dateSecond) {
      dateSecond = second;
      dateText = new Date(second * 1000).toUTCString();
    }
    return dateText;
  };

  const sign = (request: PipelineRequest): void => {
    const { name, key } = credential;
    if (!request.headers.has('x-ms-date')) request.headers.set('x-ms-date', now());
    const body = request.body;
    if (typeof body === 'string' && body.length > 0) {
      request.headers.set('Content-Length', Buffer.byteLength(body));
    }
    const date = request.headers.get('x-ms-date');
    if (!date) throw new Error('Failed to sign request: x-ms-date or date header must be present');
    const text = `${date}\n${resourceOf(name, request.url)}`;
    if (signed === undefined || signed.text !== text || signed.name !== name || signed.keyText !== key) {
      if (keyText !== key || keyBytes === undefined) {
        keyBytes = Buffer.from(key, 'base64');
        keyText = key;
      }
      const signature = createHmac('sha256', keyBytes).update(text, 'utf8').digest('base64');
      signed = { name, keyText: key, text, header: `SharedKeyLite ${name}:${signature}` };
    }
    request.headers.set('Authorization', signed.header);
  };

  return {
    name: 'tablesNamedKeyCredentialPolicy',
    sendRequest(request, next) {
      sign(request);
      return next(request);
    },
  };
}
