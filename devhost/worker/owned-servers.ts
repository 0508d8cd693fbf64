import type http from 'node:http';
import { nodeModule } from './node-module';

type HttpModule = typeof http;

/**
 * Runs `start` and returns the HTTP servers created meanwhile through Node's `http.createServer`.
 *
 * `@azure/functions` starts its HTTP streaming proxy server in `getCapabilities` and never closes
 * it (the real worker simply exits). A host that stops and starts apps inside one process must close
 * it itself, and this is the only way to get hold of it. The module object patched is the one the
 * app's own `require('http')` returns (Node's, not a test runner's copy).
 */
export async function captureHttpServers<T>(
  start: () => Promise<T>,
): Promise<{ value: T; servers: http.Server[] }> {
  const httpModule = nodeModule()._load('http', null, false) as HttpModule;
  const original = httpModule.createServer;
  const servers: http.Server[] = [];
  const capturing = ((...args: Parameters<HttpModule['createServer']>) => {
    const server = original.apply(httpModule, args);
    servers.push(server);
    return server;
  }) as HttpModule['createServer'];
  httpModule.createServer = capturing;
  try {
    return { value: await start(), servers };
  } finally {
    if (httpModule.createServer === capturing) httpModule.createServer = original;
  }
}

/** Closes servers and destroys their open connections. */
export async function closeServers(servers: readonly http.Server[]): Promise<void> {
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          if (!server.listening) {
            resolve();
            return;
          }
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    ),
  );
}
