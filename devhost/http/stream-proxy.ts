import http, { type Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import { closedBeforeAnswer, ResendableBody } from '../../azure-tables/keep-alive-http';
import type { InvocationOutcome } from '../contracts';
import { lookupOnce } from './lookup-once';
import { hasNoBody } from './read-body';
import { isForwardableResponseHeader } from './write-rpc-response';

/** What one streamed HTTP invocation needs. */
export interface StreamProxyRequest {
  /** The library's proxy address, the worker capability `HttpUri` (e.g. `http://localhost:55001/`). */
  httpUri: string;
  invocationId: string;
  /** The `host` the client used; the library rebuilds the request URL from it. */
  forwardedHost: string;
  /** The request's URL; only its path and query are used (the target is always `httpUri`). */
  url: URL;
  req: IncomingMessage;
  res: ServerResponse;
  maxRequestBodyBytes: number;
  /** The running invocation; its failure ends the exchange with a 500 (or a reset if streaming began). */
  invocation: Promise<InvocationOutcome>;
  /** Called when the upload failed and no answer came back (the client then gets a 500). */
  onAnswerLost?: () => void;
  /**
   * The keep-alive pool of connections to the library's proxy, as the Functions host keeps one
   * (its forwarder's `SocketsHttpHandler`); without it, a fresh connection per request, closed after.
   */
  agent?: Agent | undefined;
}

const proxyAddresses = new Map<string, { protocol: string; hostname: string; port: string }>();

/**
 * The library's proxy address (`HttpUri`) as request options, parsed once: a URL object per
 * request, with its path and query set through the URL's setters, showed in the host's profiles.
 */
function proxyAddress(httpUri: string): { protocol: string; hostname: string; port: string } {
  let address = proxyAddresses.get(httpUri);
  if (address === undefined) {
    const url = new URL(httpUri);
    address = {
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port === '' ? (url.protocol === 'https:' ? '443' : '80') : url.port,
    };
    proxyAddresses.set(httpUri, address);
  }
  return address;
}

/** Counts bytes and fails once more than `limit` have passed. */
function byteLimit(limit: number, onExceeded: () => void): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      seen += chunk.length;
      if (seen > limit) {
        onExceeded();
        callback();
        return;
      }
      callback(null, chunk);
    },
  });
}

function answerEmpty(res: ServerResponse, status: number): void {
  if (res.writableEnded || res.destroyed) return;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.statusCode = status;
  res.setHeader('content-length', 0);
  res.end();
}

/**
 * Lets the response's headers go out with the first part of its body, in one write to the client's
 * connection (with the end too, when the whole answer is already here), instead of a write for the
 * headers, one per chunk and one for the end (#16: each loopback write costs both processes a
 * wake-up). The library sends its response headers with the first chunk of the body, and a whole
 * small answer arrives in one read, so it is piped through in this turn of the event loop; what
 * has not been written by the end of this turn (headers alone, a body that continues later) goes
 * out then, as it did before.
 */
function sendHeadersWithBody(res: ServerResponse): void {
  const socket = res.socket;
  socket?.cork();
  setImmediate(() => {
    if (!res.headersSent && !res.writableEnded && !res.destroyed) res.flushHeaders();
    // `end()` uncorks fully by itself; uncork only what this function corked and is still held.
    if (socket && socket.writableCorked > 0) socket.uncork();
  });
}

/**
 * The most of a request body kept to send it again when the first connection turns out closed; a
 * larger body is streamed without a copy and not sent again.
 */
export const REPLAYABLE_BODY_BYTES = 1024 * 1024;

/**
 * Runs the host side of `@azure/functions`' HTTP streaming protocol (`app.setup({ enableHttpStream:
 * true })`): forwards the client's request, body streamed, to the library's proxy server with the
 * `x-ms-invocation-id`, `x-forwarded-proto` and `x-forwarded-host` headers while the invocation
 * runs, and pipes the library's response back chunk by chunk. Resolves once the client's response
 * is finished or abandoned.
 *
 * A request sent on a pooled connection that the library had closed is sent once more over a new
 * connection (its body, up to {@link REPLAYABLE_BODY_BYTES}, is kept until the answer starts), as the
 * Functions host's forwarder retries a request to the worker that failed on the connection.
 */
export function proxyStreamedInvocation(request: StreamProxyRequest): Promise<void> {
  const { req, res } = request;
  return new Promise<void>((resolve) => {
    res.once('close', () => resolve());
    const target = { ...proxyAddress(request.httpUri), path: `${request.url.pathname}${request.url.search}` };
    const {
      'x-ms-invocation-id': _clientInvocationId,
      'x-forwarded-proto': _clientProto,
      'x-forwarded-host': _clientHost,
      ...clientHeaders
    } = req.headers;
    // The host's own headers first: a server that keeps only the first headers of a request with
    // very many must still see the invocation id (without it the library never answers).
    const headers = {
      'x-ms-invocation-id': request.invocationId,
      'x-forwarded-proto': 'http',
      'x-forwarded-host': request.forwardedHost,
      ...clientHeaders,
    };
    const withBody = !hasNoBody(req);
    // A declared length is enforced by Node's parser (and checked against the limit before the
    // invocation): only a chunked body needs counting on the way through.
    const counted = withBody && req.headers['content-length'] === undefined;
    // What of the body went out so far, kept while it may have to go out again.
    const sentBody = withBody ? new ResendableBody(REPLAYABLE_BODY_BYTES) : undefined;
    const limited = counted
      ? byteLimit(request.maxRequestBodyBytes, () => {
          current.destroy();
          res.setHeader('connection', 'close');
          answerEmpty(res, 413);
        })
      : undefined;

    const forward = (agent: Agent | false, isRetry: boolean): http.ClientRequest => {
      const proxyReq = http.request({
        ...target,
        method: req.method,
        agent,
        lookup: lookupOnce,
        headers: { ...headers, connection: agent === false ? 'close' : 'keep-alive' },
      });
      const stale = closedBeforeAnswer(proxyReq);
      let answered = false;
      proxyReq.on('response', (proxyRes) => {
        answered = true;
        sentBody?.release();
        if (res.headersSent || res.writableEnded) {
          proxyRes.resume();
          return;
        }
        res.statusCode = proxyRes.statusCode ?? 200;
        for (const [name, value] of Object.entries(proxyRes.headers)) {
          if (value !== undefined && isForwardableResponseHeader(name) && name !== 'x-ms-invocation-id') {
            res.setHeader(name, value);
          }
        }
        sendHeadersWithBody(res);
        proxyRes.pipe(res);
        proxyRes.on('error', () => res.destroy());
      });
      proxyReq.on('error', () => {
        const resent = sentBody === undefined ? [] : sentBody.chunks;
        if (!isRetry && !answered && resent !== undefined && !res.destroyed && stale()) {
          current = forward(false, true);
          if (!withBody) {
            current.end();
            return;
          }
          const body = limited ?? req;
          for (const chunk of resent) current.write(chunk);
          if (body.readableEnded) current.end();
          else body.pipe(current);
          return;
        }
        // An app may answer before reading the whole body (a 413 from Content-Length); the library then
        // closes the connection and the upload fails, while its answer is on the way or already here.
        // Let the invocation settle (or 5 s pass, should the library never see the request) and a turn
        // go by before concluding there is no answer.
        const grace = new Promise((settle) => setTimeout(settle, 5000).unref());
        void Promise.race([request.invocation, grace]).finally(() =>
          setImmediate(() => {
            if (res.headersSent || res.writableEnded || res.destroyed) return;
            request.onAnswerLost?.();
            answerEmpty(res, 500);
          }),
        );
      });
      return proxyReq;
    };
    let current = forward(request.agent ?? false, request.agent === undefined);
    res.once('close', () => current.destroy());

    if (!withBody) {
      // A GET (most streamed invocations: status reads, event streams) sends its headers and ends:
      // no byte counter and no pipes to set up and tear down for a body that cannot come (#16).
      req.resume();
      current.end();
    } else {
      const body = limited === undefined ? req : req.pipe(limited);
      body.on('data', (chunk: Buffer) => sentBody?.keep(chunk));
      body.pipe(current);
    }

    request.invocation.then(
      (outcome) => {
        if (!outcome.ok) {
          current.destroy();
          answerEmpty(res, 500);
        }
      },
      () => {
        current.destroy();
        answerEmpty(res, 500);
      },
    );
  });
}
