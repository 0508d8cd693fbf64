import type { IncomingMessage } from 'node:http';

/** Azure's default request body limit (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT): 100 MB. */
export const DEFAULT_MAX_REQUEST_BODY_BYTES = 104_857_600;

const EMPTY = Buffer.alloc(0);

/** The body, or the news that it is larger than the limit. */
export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too_large' };

/**
 * True when the request's framing says no body follows (HTTP/1.1: no Transfer-Encoding, and no or a
 * zero Content-Length), as for a GET: no reader needs to be set up for it.
 */
export function hasNoBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] === undefined && (length === undefined || length === '0');
}

/** True when the request declares a Content-Length above `limit`. */
export function declaresTooLarge(request: IncomingMessage, limit: number): boolean {
  const declared = Number(request.headers['content-length']);
  return Number.isFinite(declared) && declared > limit;
}

/**
 * Reads the whole request body, stopping as soon as it exceeds `limit` bytes (declared or counted),
 * so an oversized upload is refused without being buffered.
 */
export async function readBody(request: IncomingMessage, limit: number): Promise<BodyResult> {
  if (declaresTooLarge(request, limit)) return { ok: false, reason: 'too_large' };
  if (hasNoBody(request)) {
    // Consumed, so the connection moves on to its next request.
    request.resume();
    return { ok: true, body: EMPTY };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) return { ok: false, reason: 'too_large' };
    chunks.push(buffer);
  }
  return { ok: true, body: Buffer.concat(chunks) };
}
