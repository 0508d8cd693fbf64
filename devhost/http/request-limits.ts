import type { IncomingMessage } from 'node:http';

/**
 * Kestrel's defaults, which the Functions host keeps: at most 100 request headers and 32 KiB of
 * request line and headers. Past them Azure answers 431; so does the local host, instead of passing
 * a request on that the worker's own server would cut short.
 */
export const MAX_REQUEST_HEADER_COUNT = 100;
export const MAX_REQUEST_HEADER_BYTES = 32 * 1024;

/** The largest body the management API reads: external events and start inputs are small. */
export const MAX_MANAGEMENT_BODY_BYTES = 10 * 1024 * 1024;

/** True when the request carries more headers than the host accepts. */
export function hasTooManyHeaders(request: IncomingMessage): boolean {
  return request.rawHeaders.length / 2 > MAX_REQUEST_HEADER_COUNT;
}

/**
 * True when the request target holds a backslash. WHATWG URL parsing would read it as `/` and
 * route `/api/a\b` like `/api/a/b`; it is not a valid path character, so it is refused (400).
 */
export function hasBackslashInTarget(request: IncomingMessage): boolean {
  return (request.url ?? '').includes('\\');
}
