import type { ServerResponse } from 'node:http';
import type { RpcTypedData } from '../contracts';
import { rpcHttpCookieSchema, serializeSetCookie } from './set-cookie';

/** Headers a server must not copy from an app's response (hop-by-hop, or set by the front door). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'trailers',
  'transfer-encoding',
  'upgrade',
  'content-length',
]);

/** True when the front door may copy the header `name` from an app's response. */
export function isForwardableResponseHeader(name: string): boolean {
  return !HOP_BY_HOP.has(name.toLowerCase());
}

function bytesOf(data: RpcTypedData | null | undefined): Buffer {
  if (!data) return Buffer.alloc(0);
  if (data.bytes) return Buffer.from(data.bytes);
  if (data.stream) return Buffer.from(data.stream);
  if (typeof data.string === 'string') return Buffer.from(data.string, 'utf8');
  if (typeof data.json === 'string') return Buffer.from(data.json, 'utf8');
  return Buffer.alloc(0);
}

/** An HTTP response decoded from the worker's `returnValue.http`. */
export interface DecodedHttpResponse {
  status: number;
  headers: [string, string | string[]][];
  body: Buffer;
}

/**
 * Decodes `returnValue.http` as the host does: status from the string `statusCode` (200 when
 * absent), the app's headers, its cookies as `Set-Cookie`, and the body bytes. A function that
 * returned no HTTP response answers 200 with an empty body, like the host's `OkResult`.
 * Throws a RangeError for a status code or cookie the host could not write.
 */
export function decodeRpcHttpResponse(returnValue: RpcTypedData | null | undefined): DecodedHttpResponse {
  const http = returnValue?.http;
  if (!http) return { status: 200, headers: [], body: Buffer.alloc(0) };
  const status = http.statusCode ? Number(http.statusCode) : 200;
  if (!Number.isInteger(status) || status < 100 || status > 999) {
    throw new RangeError(
      `the function returned the status code "${http.statusCode}", which is not a number from 100 to 999`,
    );
  }
  const headers: [string, string | string[]][] = Object.entries(http.headers ?? {}).filter(([name]) =>
    isForwardableResponseHeader(name),
  );
  const cookies = (http.cookies ?? []).map((cookie) => {
    const parsed = rpcHttpCookieSchema.safeParse(cookie);
    if (!parsed.success)
      throw new RangeError(`the function returned an invalid cookie: ${parsed.error.message}`);
    return serializeSetCookie(parsed.data);
  });
  if (cookies.length > 0) {
    const existing = headers.findIndex(([name]) => name.toLowerCase() === 'set-cookie');
    const own = existing >= 0 ? [headers.splice(existing, 1)[0]?.[1] ?? []].flat() : [];
    headers.push(['set-cookie', [...own, ...cookies]]);
  }
  return { status, headers, body: bytesOf(http.body) };
}

/** Writes a decoded response; HEAD requests get the headers only (Node drops the body). */
export function writeDecodedResponse(res: ServerResponse, response: DecodedHttpResponse): void {
  res.statusCode = response.status;
  for (const [name, value] of response.headers) res.setHeader(name, value);
  // 1xx, 204 and 304 have no body and must not carry Content-Length (RFC 9110 §8.6).
  const bodiless = response.status < 200 || response.status === 204 || response.status === 304;
  if (bodiless) {
    res.end();
    return;
  }
  res.setHeader('content-length', response.body.length);
  res.end(response.body);
}
