import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DurableEngineHandle, HostHttpRequest } from '../../../../devhost/contracts';

const PREFIXES = ['/runtime/webhooks/durabletask/', '/durabletask/'];

/** A running management server. */
export interface ManagementServer {
  port: number;
  origin: string;
  close(): Promise<void>;
}

/**
 * A tiny stand-in for the front door: serves the two Durable management prefixes on a free port
 * by forwarding the raw path after the prefix to `engine.handleManagementRequest`.
 */
export async function startManagementServer(
  engine: Pick<DurableEngineHandle, 'handleManagementRequest'>,
  port = 0,
): Promise<ManagementServer> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
      const rawPath = (req.url ?? '/').split('?')[0]!;
      const prefix = PREFIXES.find((p) => rawPath.startsWith(p) || `${rawPath}/` === p);
      if (!prefix) {
        res.writeHead(404).end();
        return;
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers[name] = value;
        else if (Array.isArray(value)) headers[name] = value.join(', ');
      }
      const request: HostHttpRequest = {
        method: req.method ?? 'GET',
        url,
        headers,
        body: Buffer.concat(chunks),
      };
      engine.handleManagementRequest(rawPath.slice(prefix.length), request).then(
        (response) => {
          res.writeHead(response.status, response.headers ?? {});
          res.end(response.body ?? undefined);
        },
        (error: unknown) => {
          res.writeHead(500).end(String(error));
        },
      );
    });
  });
  // No host: listen on both IPv4 and IPv6, since clients resolve "localhost" either way.
  await new Promise<void>((resolve) => server.listen(port, resolve));
  const { port: actual } = server.address() as AddressInfo;
  return {
    port: actual,
    origin: `http://localhost:${actual}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
