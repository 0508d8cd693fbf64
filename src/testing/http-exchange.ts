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

/** How {@link sendEventStream} paces and breaks a stream. */
export interface EventStreamPlan {
  /** Waits before each chunk after the first; resolves false when the server closes meanwhile. */
  pause?: (() => Promise<boolean>) | undefined;
  /** Breaks the connection instead of sending the text chunk after this many. */
  resetAfterTexts?: number | undefined;
  /** Stops sending (the connection left open) after this many text chunks. */
  hangAfterTexts?: number | undefined;
  /** Told when a chunk with text was written. */
  onTextSent?: (() => void) | undefined;
}

function hasText(chunk: unknown): boolean {
  const choices = (chunk as { choices?: Array<{ delta?: { content?: unknown } }> }).choices;
  const content = choices?.[0]?.delta?.content;
  return typeof content === 'string' && content !== '';
}

/** Sends each chunk as an SSE `data:` event, then `data: [DONE]`, as OpenAI streams do. */
export async function sendEventStream(
  response: ServerResponse,
  chunks: readonly unknown[],
  plan: EventStreamPlan = {},
): Promise<void> {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  let texts = 0;
  for (const [index, chunk] of chunks.entries()) {
    if (index > 0 && plan.pause && !(await plan.pause())) return;
    const text = hasText(chunk);
    if (text && texts === plan.resetAfterTexts) {
      // Ends the connection once what was written is out, without the body's last chunk: the
      // client has the text so far and then sees the stream break off.
      response.socket?.end();
      return;
    }
    if (text && texts === plan.hangAfterTexts) return; // the server's close() destroys the socket
    response.write(`data: ${JSON.stringify(chunk)}\n\n`);
    if (text) {
      texts += 1;
      plan.onTextSent?.();
    }
  }
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
