import type { RequestListener } from 'node:http';
import type { DurableEngineHandle } from '../contracts';
import type { LogSink } from '../log';
import { forwardManagementRequest, managementPath, RPC_PREFIX } from './management-forward';
import { MAX_MANAGEMENT_BODY_BYTES } from './request-limits';

/**
 * The handler of the durable engine's RPC listener: the management API for the worker's own durable
 * client (the binding's `rpcBaseUrl`), on a loopback port of its own and without a key, as the
 * extension serves it on 127.0.0.1:17071 beside the Functions host's public port. Anything else is 404.
 */
export function createRpcListener(options: { durable: DurableEngineHandle; log: LogSink }): RequestListener {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.toLowerCase().startsWith(RPC_PREFIX) ? managementPath(url.pathname) : undefined;
    if (path === undefined) {
      req.resume();
      res.writeHead(404, { 'content-length': 0 });
      res.end();
      return;
    }
    forwardManagementRequest({
      path,
      url,
      req,
      res,
      durable: options.durable,
      maxRequestBodyBytes: MAX_MANAGEMENT_BODY_BYTES,
      log: options.log,
    }).catch((error: unknown) => {
      options.log({
        level: 'error',
        category: 'system',
        message: `The durable RPC listener failed to serve ${req.method} ${url.pathname}: ${(error as Error).stack ?? String(error)}`,
      });
      if (!res.headersSent) res.writeHead(500, { 'content-length': 0 });
      res.end();
    });
  };
}
