import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DurableEngineHandle, HostHttpResponse } from '../contracts';
import type { LogSink } from '../log';
import { readBody } from './read-body';
import { flattenHeaders } from './to-rpc-http';

/** The client RPC base path (the binding's `rpcBaseUrl`). */
export const RPC_PREFIX = '/durabletask/';

/** The URL prefixes of the Durable management API: the documented webhook and the client's RPC base. */
export const MANAGEMENT_PREFIXES = ['/runtime/webhooks/durabletask/', RPC_PREFIX] as const;

/** The path after a management prefix (still percent-encoded, no query), or undefined. */
export function managementPath(pathname: string): string | undefined {
  const lower = pathname.toLowerCase();
  const prefix = MANAGEMENT_PREFIXES.find((p) => lower.startsWith(p) || lower === p.slice(0, -1));
  if (!prefix) return undefined;
  return pathname.slice(prefix.length);
}

function writeHostResponse(res: ServerResponse, response: HostHttpResponse): void {
  const body = response.body ?? '';
  res.statusCode = response.status;
  const headers = response.headers;
  if (headers !== undefined) {
    for (const name in headers) {
      if (name.toLowerCase() !== 'content-length') res.setHeader(name, headers[name]!);
    }
  }
  // The text as it is: Node encodes it with the headers in one write, without a copy into a Buffer.
  res.setHeader('content-length', typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
  res.end(body);
}

/**
 * Forwards a management request to the durable engine. Without an engine the API does not exist,
 * as on a Functions host without the Durable extension: 404, with a line that says why.
 */
export async function forwardManagementRequest(options: {
  path: string;
  url: URL;
  req: IncomingMessage;
  res: ServerResponse;
  durable: DurableEngineHandle | undefined;
  maxRequestBodyBytes: number;
  log: LogSink;
}): Promise<void> {
  const { req, res, durable } = options;
  if (!durable) {
    req.resume();
    writeHostResponse(res, {
      status: 404,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: 'The Durable Task extension is not running: the app registered no orchestrations, activities or entities.\n',
    });
    return;
  }
  const body = await readBody(req, options.maxRequestBodyBytes);
  if (!body.ok) {
    res.setHeader('connection', 'close');
    req.resume();
    writeHostResponse(res, { status: 413 });
    return;
  }
  try {
    const response = await durable.handleManagementRequest(options.path, {
      method: (req.method ?? 'GET').toUpperCase(),
      url: options.url,
      headers: flattenHeaders(req.headers),
      body: body.body,
    });
    writeHostResponse(res, response);
  } catch (error) {
    options.log({
      level: 'error',
      category: 'system',
      message: `Durable management request ${req.method} ${options.url.pathname} failed: ${(error as Error).stack ?? String(error)}`,
    });
    if (!res.headersSent) writeHostResponse(res, { status: 500 });
  }
}
