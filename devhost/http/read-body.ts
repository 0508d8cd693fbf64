import type { IncomingMessage } from 'node:http';

/** Azure's default request body limit (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT): 100 MB. */
export const DEFAULT_MAX_REQUEST_BODY_BYTES = 104_857_600;

/** The body, or the news that it is larger than the limit. */
export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too_large' };

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
