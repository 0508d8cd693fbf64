import type http from 'node:http';
import { ACCEPT_BACKLOG } from '../http/front-door-server';
import { nodeModule } from './node-module';

type HttpModule = typeof http;

/**
 * Makes `server` ask for an accept queue of {@link ACCEPT_BACKLOG} when it is told to listen the
 * ways `@azure/functions` tells its proxy to (`listen(callback)`, `listen(port, callback)`), which
 * leave Node's default of 511. The front door forwards every HTTP invocation to that proxy over its
 * own connection pool, so a burst of concurrent requests on a busy event loop opens as many new
 * connections to the proxy as reach the front door, and an overflowing queue resets them as it
 * reset the front door's clients (see `FrontDoorServer.listen`). Any other form of `listen` is left
 * as it was called.
 */
function withAcceptBacklog(server: http.Server): void {
  const listen = server.listen.bind(server) as (...args: unknown[]) => http.Server;
  const patched = (...args: unknown[]): http.Server => {
    const [first, second] = args;
    if (args.length <= 1 && (first === undefined || typeof first === 'function')) {
      return listen({ port: 0, backlog: ACCEPT_BACKLOG }, first);
    }
    if (
      typeof first === 'number' &&
      args.length <= 2 &&
      (second === undefined || typeof second === 'function')
    ) {
      return listen({ port: first, backlog: ACCEPT_BACKLOG }, second);
    }
    return listen(...args);
  };
  server.listen = patched as http.Server['listen'];
}

/**
 * Runs `start` and returns the HTTP servers created meanwhile through Node's `http.createServer`,
 * each asking for the front door's accept queue when it listens ({@link withAcceptBacklog}).
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
    withAcceptBacklog(server);
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
