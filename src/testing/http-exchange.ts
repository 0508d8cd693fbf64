/**
 * Small HTTP helpers of the scripted model server: reading a bounded body, and writing JSON and
 * server-sent events.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBoundedBody } from '../http/read-bounded-body';

/** Bodies larger than this are refused (413): a script never needs more, a runaway client might send it. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** The body as text, or `undefined` when it exceeds {@link MAX_BODY_BYTES}. */
export async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const { bytes, total } = await readBoundedBody(request, MAX_BODY_BYTES);
  return total > MAX_BODY_BYTES ? undefined : bytes.toString('utf8');
}

/** Sends `body` (an object as JSON, a string as is) with `status` and extra headers. */
export function sendBody(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const isText = typeof body === 'string';
  const payload = isText ? body : JSON.stringify(body);
  response.writeHead(status, {
    'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  response.end(payload);
}

/** An OpenAI-style error body. */
export function errorBody(
  message: string,
  type: string,
  code: string | null = null,
): Record<string, unknown> {
  return { error: { message, type, param: null, code } };
}

/** Sends each chunk as an SSE `data:` event, then `data: [DONE]`, as OpenAI streams do. */
export function sendEventStream(response: ServerResponse, chunks: readonly unknown[]): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  for (const chunk of chunks) response.write(`data: ${JSON.stringify(chunk)}\n\n`);
  response.end('data: [DONE]\n\n');
}

/** Request headers as a flat record of lower-case names. */
export function flatHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
