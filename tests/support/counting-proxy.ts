/** A proxy in front of a storage endpoint that records every request it forwards (method and decoded path). */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingProxy {
  port: number;
  /** `METHOD /path`, decoded, in the order they came. */
  requests: string[];
  close(): Promise<void>;
}

/** Forwards `request` to `port` on 127.0.0.1 and pipes the answer back into `response`. */
export function forwardTo(port: number, request: http.IncomingMessage, response: http.ServerResponse): void {
  const upstream = http.request(
    { host: '127.0.0.1', port, method: request.method, path: request.url, headers: request.headers },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    },
  );
  upstream.on('error', (error) => response.destroy(error));
  request.pipe(upstream);
}

/** Forwards every request to `port` on 127.0.0.1 and records it. */
export async function startCountingProxy(port: number): Promise<CountingProxy> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(`${request.method} ${decodeURIComponent(request.url ?? '')}`);
    forwardTo(port, request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `connectionString` with its table endpoint moved to the proxy at `proxyPort`; and the table port it had. */
export function throughProxy(connectionString: string, proxyPort: number): string {
  const tablePort = tablePortOf(connectionString);
  return connectionString.replace(
    `TableEndpoint=http://127.0.0.1:${tablePort}/`,
    `TableEndpoint=http://127.0.0.1:${proxyPort}/`,
  );
}

/** The table endpoint's port of an Azurite connection string. */
export function tablePortOf(connectionString: string): number {
  return Number(/TableEndpoint=http:\/\/127\.0\.0\.1:(\d+)\//.exec(connectionString)?.[1]);
}
