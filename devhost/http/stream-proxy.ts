import http, { type Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
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
 * Runs the host side of `@azure/functions`' HTTP streaming protocol (`app.setup({ enableHttpStream:
 * true })`): forwards the client's request, body streamed, to the library's proxy server with the
 * `x-ms-invocation-id`, `x-forwarded-proto` and `x-forwarded-host` headers while the invocation
 * runs, and pipes the library's response back chunk by chunk. Resolves once the client's response
 * is finished or abandoned.
 */
export function proxyStreamedInvocation(request: StreamProxyRequest): Promise<void> {
  const { req, res } = request;
  return new Promise<void>((resolve) => {
    res.once('close', () => resolve());
    const target = new URL(request.httpUri);
    target.pathname = request.url.pathname;
    target.search = request.url.search;
    const {
      'x-ms-invocation-id': _clientInvocationId,
      'x-forwarded-proto': _clientProto,
      'x-forwarded-host': _clientHost,
      ...clientHeaders
    } = req.headers;
    const proxyReq = http.request(target, {
      method: req.method,
      agent: request.agent ?? false,
      lookup: lookupOnce,
      // The host's own headers first: a server that keeps only the first headers of a request with
      // very many must still see the invocation id (without it the library never answers).
      headers: {
        'x-ms-invocation-id': request.invocationId,
        'x-forwarded-proto': 'http',
        'x-forwarded-host': request.forwardedHost,
        ...clientHeaders,
        connection: request.agent === undefined ? 'close' : 'keep-alive',
      },
    });
    proxyReq.on('response', (proxyRes) => {
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
      res.flushHeaders();
      proxyRes.pipe(res);
      proxyRes.on('error', () => res.destroy());
    });
    proxyReq.on('error', () => {
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
    res.once('close', () => proxyReq.destroy());

    if (hasNoBody(req)) {
      // A GET (most streamed invocations: status reads, event streams) sends its headers and ends:
      // no byte counter and no pipes to set up and tear down for a body that cannot come (#16).
      req.resume();
      proxyReq.end();
    } else {
      const limited = byteLimit(request.maxRequestBodyBytes, () => {
        proxyReq.destroy();
        res.setHeader('connection', 'close');
        answerEmpty(res, 413);
      });
      req.pipe(limited).pipe(proxyReq);
    }

    request.invocation.then(
      (outcome) => {
        if (!outcome.ok) {
          proxyReq.destroy();
          answerEmpty(res, 500);
        }
      },
      () => {
        proxyReq.destroy();
        answerEmpty(res, 500);
      },
    );
  });
}
