import http, { type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DevhostError } from '../errors';
import { hasTooManyHeaders, MAX_REQUEST_HEADER_BYTES } from './request-limits';

/** The loopback address the front door listens on (the Durable RPC path must not leave the machine). */
export const LOOPBACK = '127.0.0.1';

/**
 * How long an idle connection stays open: Kestrel's default, which the Functions host's front door
 * and the Durable extension's RPC listener (Kestrel with default limits) keep. Node's default (5 s,
 * closed at 6 s) is shorter than a pooled client in this process may hold its connection when the
 * event loop lags: durable-functions' client (Node's global agent, 4-5 s) sent its request on a
 * connection whose server-side keep-alive timer fired before the request was read, and got a reset
 * (`read ECONNRESET`, a 500 from the function; bench/README.md, "Tenth round").
 */
export const KEEP_ALIVE_TIMEOUT_MS = 130_000;

/** The accept queue the front door asks for (Node's default is 511); see {@link FrontDoorServer.listen}. */
export const ACCEPT_BACKLOG = 4096;

/**
 * The front door's HTTP server. It binds first, so the host knows its port before the worker and
 * the durable engine start (both need the address); until a handler is set it answers 503.
 */
export class FrontDoorServer {
  readonly #server: http.Server;
  #listener: RequestListener | undefined;
  #port = 0;
  #closed = false;

  private constructor() {
    // Node answers 431 itself past maxHeaderSize; the count is checked here, for every request.
    const options = { maxHeaderSize: MAX_REQUEST_HEADER_BYTES, keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS };
    this.#server = http.createServer(options, (req, res) => {
      if (hasTooManyHeaders(req)) {
        req.resume();
        res.writeHead(431, { connection: 'close', 'content-length': 0 });
        res.end();
        return;
      }
      if (this.#listener) {
        this.#listener(req, res);
        return;
      }
      req.resume();
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '1' });
      res.end('The local host is starting.\n');
    });
  }

  /** Listens on `port` (0 picks a free one) on the loopback interface. */
  static async listen(port: number): Promise<FrontDoorServer> {
    const front = new FrontDoorServer();
    const server = front.#server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        reject(
          new DevhostError(
            'invalid_option',
            error.code === 'EADDRINUSE'
              ? `Port ${port} is already in use. Stop the other process, or pick another port with --port (0 picks a free one).`
              : `Cannot listen on ${LOOPBACK}:${port}: ${error.message}.`,
            { cause: error },
          ),
        );
      });
      // A burst of new connections while the event loop is busy overflows Node's default accept
      // queue (511): the kernel then drops the handshakes it cannot queue and resets those clients
      // (ECONNRESET) once they send. The kernel caps the figure at net.core.somaxconn.
      server.listen({ port, host: LOOPBACK, backlog: ACCEPT_BACKLOG }, () => resolve());
    });
    front.#port = (server.address() as AddressInfo).port;
    return front;
  }

  /** The port the server listens on. */
  get port(): number {
    return this.#port;
  }

  /** Starts serving requests with `listener`. */
  setHandler(listener: RequestListener): void {
    this.#listener = listener;
  }

  /** Stops listening and destroys every open connection, keep-alive and in-flight ones included. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }
}
