/**
 * HTTP/1.1 over a plain socket, byte for byte: for requests that `fetch` and `http.request` refuse
 * to send or quietly fix (unnormalized `..` paths, duplicate or non-Latin-1 headers, bad methods,
 * malformed framing, bytes that are not UTF-8).
 */
import net from 'node:net';

/** A request as bytes on the wire. */
export interface RawRequest {
  method: string;
  /** The request target, sent as is (a Buffer for bytes outside Latin-1). */
  target: string | Buffer;
  /** Header lines in order; duplicates allowed. A Buffer value is sent as its bytes. */
  headers?: readonly (readonly [string, string | Buffer])[];
  body?: Buffer | string;
  /**
   * Add `Host`, `Connection: close` and (with a body) `Content-Length` unless the headers set them.
   * Default true; false sends exactly `headers`.
   */
  defaultHeaders?: boolean;
}

/** What came back. */
export interface RawResponse {
  /** The status code, or undefined when no status line arrived. */
  status: number | undefined;
  headers: Record<string, string>;
  /** The body (at most 1 MiB is kept; chunked bodies decoded; an event stream is not waited for). */
  body: string;
  /** Why no status arrived (connection closed, reset, deadline), when it did not. */
  problem?: string;
}

/** The request's bytes. */
export function encodeRequest(request: RawRequest, port: number): Buffer {
  const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
  const headers = [...(request.headers ?? [])];
  const has = (name: string): boolean => headers.some(([n]) => n.toLowerCase() === name);
  if (request.defaultHeaders !== false) {
    if (!has('host')) headers.unshift(['Host', `localhost:${port}`]);
    if (!has('connection')) headers.push(['Connection', 'close']);
    if (body !== undefined && !has('content-length') && !has('transfer-encoding')) {
      headers.push(['Content-Length', String(body.length)]);
    }
  }
  const target = typeof request.target === 'string' ? Buffer.from(request.target, 'latin1') : request.target;
  const parts: Buffer[] = [Buffer.from(`${request.method} `, 'latin1'), target, Buffer.from(' HTTP/1.1\r\n')];
  for (const [name, value] of headers) {
    parts.push(Buffer.from(`${name}: `, 'latin1'));
    parts.push(typeof value === 'string' ? Buffer.from(value, 'latin1') : value);
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('\r\n'));
  if (body !== undefined) parts.push(body);
  return Buffer.concat(parts);
}

const MAX_KEPT = 1024 * 1024;

/**
 * Sends `request` on a fresh connection to 127.0.0.1:`port` and reads the answer: the status line
 * and headers, and the body when it has a Content-Length (a streamed body is not waited for). Never
 * rejects: a connection that closes without an answer, or no answer within `timeoutMs`, comes back
 * with `status: undefined` and the `problem`.
 */
export function sendRaw(port: number, request: RawRequest, timeoutMs = 30_000): Promise<RawResponse> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let settled = false;
    let writeProblem: string | undefined;
    const finish = (response: RawResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      socket.destroy();
      resolve(response);
    };
    const deadline = setTimeout(
      () => finish({ ...parse(received), problem: `no complete answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
    socket.on('data', (chunk: Buffer) => {
      if (received.length < MAX_KEPT) received = Buffer.concat([received, chunk]);
      const response = parse(received);
      if (response.status !== undefined && isComplete(received, response)) finish(response);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A server may answer and close while a large body is still being written (EPIPE, ECONNRESET):
      // what it answered still counts.
      writeProblem = error.code ?? error.message;
    });
    socket.on('close', () => {
      const response = parse(received);
      finish(
        response.status === undefined
          ? {
              ...response,
              problem: `connection closed without a status line${writeProblem ? ` (${writeProblem})` : ''}`,
            }
          : response,
      );
    });
    socket.write(encodeRequest(request, port));
  });
}

function parse(bytes: Buffer): RawResponse {
  const text = bytes.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const head = end >= 0 ? text.slice(0, end) : text;
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(head);
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  // Latin-1 maps each byte to one character, so text offsets are byte offsets.
  const raw = end >= 0 ? bytes.subarray(end + 4) : Buffer.alloc(0);
  const chunked = /chunked/i.test(headers['transfer-encoding'] ?? '');
  const body = (chunked ? dechunk(raw) : raw).toString('utf8');
  return { status: match ? Number(match[1]) : undefined, headers, body };
}

/** The data of a chunked body (as much of it as has arrived). */
function dechunk(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(raw.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** True once the headers are in and the body is either not expected or fully received. */
function isComplete(bytes: Buffer, response: RawResponse): boolean {
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd < 0) return false;
  // An event stream follows a run for minutes: its status and headers are what matters.
  if ((response.headers['content-type'] ?? '').includes('text/event-stream')) return true;
  if (/chunked/i.test(response.headers['transfer-encoding'] ?? '')) {
    return bytes.subarray(headEnd + 4).includes('0\r\n\r\n') || bytes.length >= MAX_KEPT;
  }
  const length = response.headers['content-length'];
  if (length === undefined) return true; // no body announced: the status is what matters
  return bytes.length - (headEnd + 4) >= Math.min(Number(length), MAX_KEPT - headEnd - 4);
}
