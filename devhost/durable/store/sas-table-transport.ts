/**
 * The engine's table requests sent straight on Node's HTTP client, under the SAS of
 * {@link sasTableClient}, instead of the SDK client's pipeline (#16). The pipeline's policies
 * (tracing, logging, request ids, retry, the credential, header objects) cost about 0.6 ms of CPU
 * per request on top of the request itself, and the engine makes one to three requests per
 * episode and per activity: with Azurite that was the largest part of the local host's CPU. The
 * engine needs none of them: a SAS is signed once, and the engine retries what it writes itself
 * (an episode that fails is retried, a completion's write too). The one retry kept is the one every
 * keep-alive client needs: a request on a reused connection that the server had just closed fails
 * before any answer (ECONNRESET, EPIPE) and is sent again.
 */
import { exchangeWhole, KeepAliveAgents } from '../../../azure-tables/keep-alive-http';
import type { TableTransport } from '../../../azure-tables/table-request';

/** The transport, and how to release its kept-alive connections. */
export interface SasTableTransport {
  send: TableTransport;
  close(): void;
}

/**
 * How many kept-alive connections a request may find closed before it gives up. Each stale
 * connection fails once and is dropped: a new connection answers or fails for good. The bound only
 * guards against a pool that keeps refilling with connections the server closes.
 */
const MAX_STALE_RETRIES = 8;

/**
 * Sends Table service requests with `sas()` (the query string of an account SAS, without `?`)
 * added to each URL, on keep-alive connections.
 */
export function sasTableTransport(sas: () => string): SasTableTransport {
  const agents = new KeepAliveAgents();
  return {
    async send(request) {
      const url = new URL(request.url);
      const signature = sas();
      url.search = url.search ? `${url.search}&${signature}` : `?${signature}`;
      const headers: Record<string, string | number> = { ...request.headers };
      if (request.body !== undefined) headers['Content-Length'] = Buffer.byteLength(request.body);
      const answer = await exchangeWhole({
        target: url,
        method: request.method,
        headers,
        body: request.body,
        agents,
        staleResends: MAX_STALE_RETRIES,
      });
      const raw = answer.headers;
      return {
        status: answer.status,
        bodyAsText: answer.body.toString('utf8'),
        headers: {
          get(name) {
            const value = raw[name.toLowerCase()];
            return Array.isArray(value) ? value.join(', ') : value;
          },
        },
      };
    },
    close() {
      agents.destroy();
    },
  };
}
