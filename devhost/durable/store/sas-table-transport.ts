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
import http from 'node:http';
import https from 'node:https';
import type { TableAnswer, TableRequest, TableTransport } from '../../../azure-tables/table-request';

/** The transport, and how to release its kept-alive connections. */
export interface SasTableTransport {
  send: TableTransport;
  close(): void;
}

/** How many kept-alive connections a request may find closed before it gives up. */
const MAX_STALE_RETRIES = 8;

function isStaleConnection(error: unknown, reused: boolean): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return reused && (code === 'ECONNRESET' || code === 'EPIPE');
}

/**
 * Sends Table service requests with `sas()` (the query string of an account SAS, without `?`)
 * added to each URL, on keep-alive connections.
 */
export function sasTableTransport(sas: () => string): SasTableTransport {
  const agents = {
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({ keepAlive: true }),
  };

  const sendOnce = (request: TableRequest, url: URL): Promise<{ answer?: TableAnswer; stale?: Error }> =>
    new Promise((resolve, reject) => {
      const secure = url.protocol === 'https:';
      const headers: Record<string, string | number> = { ...request.headers };
      if (request.body !== undefined) headers['Content-Length'] = Buffer.byteLength(request.body);
      const req = (secure ? https : http).request(
        url,
        { method: request.method, agent: secure ? agents.https : agents.http, headers },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('error', reject);
          res.on('end', () => {
            const raw = res.headers;
            resolve({
              answer: {
                status: res.statusCode ?? 0,
                bodyAsText: text,
                headers: {
                  get(name) {
                    const value = raw[name.toLowerCase()];
                    return Array.isArray(value) ? value.join(', ') : value;
                  },
                },
              },
            });
          });
        },
      );
      req.on('error', (error) => {
        if (isStaleConnection(error, req.reusedSocket)) resolve({ stale: error });
        else reject(error);
      });
      req.end(request.body);
    });

  return {
    async send(request) {
      const url = new URL(request.url);
      const signature = sas();
      url.search = url.search ? `${url.search}&${signature}` : `?${signature}`;
      // Each stale connection fails once and is dropped: a new connection answers or fails for good.
      // The bound only guards against a pool that keeps refilling with connections the server closes.
      let stale: Error | undefined;
      for (let attempt = 0; attempt < MAX_STALE_RETRIES + 1; attempt += 1) {
        const sent = await sendOnce(request, url);
        if (sent.answer) return sent.answer;
        stale = sent.stale;
      }
      throw stale ?? new Error('The table service closed every connection.');
    },
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
