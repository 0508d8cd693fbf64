/**
 * Node's HTTP client (`node:http`, `node:https`) on kept-alive connections, as the hand-owned
 * clients of the library and of the local host use it (#16): the agents, an exchange whose request
 * and answer are small and whole, and the one resend every keep-alive client needs.
 *
 * The resend: a server closes an idle kept-alive connection on its own timer. When its close has not
 * been read yet (this process's event loop lags), the pool hands the connection out and the request
 * fails before any byte of an answer arrived (ECONNRESET, EPIPE). The server read nothing of it, so
 * sending it again cannot apply it twice (Node's documented remedy, `request.reusedSocket`). A
 * failure on a new connection, or after the first byte of an answer, is not sent again: the server
 * may have acted on that request.
 *
 * It lives here, beside the Table service pieces, because the library (src/) and the local host
 * (devhost/) both use it and neither may import the other.
 */
import http from 'node:http';
import https from 'node:https';

/** A keep-alive agent per protocol, each made at its first use. */
export class KeepAliveAgents {
  readonly #options: https.AgentOptions;
  #http: http.Agent | undefined;
  #https: https.Agent | undefined;

  /** @param options - the agents' options (Node's defaults otherwise); `keepAlive` is always on. */
  constructor(options: Omit<http.AgentOptions, 'keepAlive'> = {}) {
    this.#options = { ...options, keepAlive: true };
  }

  /** The agent of `https:` when `secure`, else of `http:`. */
  of(secure: boolean): http.Agent {
    return secure
      ? (this.#https ??= new https.Agent(this.#options))
      : (this.#http ??= new http.Agent(this.#options));
  }

  /** Closes every connection the agents keep; the next request makes new agents. */
  destroy(): void {
    this.#http?.destroy();
    this.#https?.destroy();
    this.#http = undefined;
    this.#https = undefined;
  }
}

/**
 * Watches `request` (call it as soon as the request is made): the function returned tells, when the
 * request failed, whether it failed on a reused kept-alive connection before any byte of an answer
 * arrived on it, i.e. whether the server had closed the connection without reading the request.
 */
export function closedBeforeAnswer(request: http.ClientRequest): () => boolean {
  let readAtStart: number | undefined;
  request.once('socket', (socket) => {
    readAtStart = socket.bytesRead;
  });
  return () => request.reusedSocket && readAtStart !== undefined && request.socket?.bytesRead === readAtStart;
}

/** The failures of a request on a connection the server had closed: a reset, a write on a closed one. */
function isClosedConnection(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'ECONNRESET' || code === 'EPIPE';
}

/** One request with a body whole in memory (or none). */
export interface WholeRequest {
  /** A URL, or the `http.request` options that name the protocol, host, port and path. */
  target: URL | Required<Pick<http.RequestOptions, 'protocol' | 'hostname' | 'port' | 'path'>>;
  method: string;
  headers: http.OutgoingHttpHeaders;
  body?: string | undefined;
  agents: KeepAliveAgents;
  /**
   * How many times the request is sent again after failing on a kept-alive connection the server
   * had closed (1: once; more when several pooled connections may have been closed at once).
   */
  staleResends?: number;
}

/** An answer read whole. */
export interface WholeAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * Sends `request` and reads its answer whole. A failure rejects with Node's error (its `code` kept);
 * one on a kept-alive connection the server had closed sends the request again, up to
 * `staleResends` times.
 */
export function exchangeWhole(request: WholeRequest): Promise<WholeAnswer> {
  return attempt(request, request.staleResends ?? 1);
}

function attempt(request: WholeRequest, resendsLeft: number): Promise<WholeAnswer> {
  return new Promise<WholeAnswer>((resolve, reject) => {
    const { target } = request;
    const secure = target.protocol === 'https:';
    const options: http.RequestOptions = {
      method: request.method,
      headers: request.headers,
      agent: request.agents.of(secure),
    };
    const onAnswer = (response: http.IncomingMessage): void => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks),
        }),
      );
    };
    const send = secure ? https.request : http.request;
    const outgoing =
      target instanceof URL ? send(target, options, onAnswer) : send({ ...target, ...options }, onAnswer);
    const stale = resendsLeft > 0 ? closedBeforeAnswer(outgoing) : undefined;
    outgoing.on('error', (error) => {
      if (stale !== undefined && isClosedConnection(error) && stale()) {
        attempt(request, resendsLeft - 1).then(resolve, reject);
        return;
      }
      reject(error);
    });
    outgoing.end(request.body);
  });
}

/**
 * The chunks of a streamed request body kept, up to `limit` bytes, while the request may have to go
 * out again; a larger body is not kept (nor sent again).
 */
export class ResendableBody {
  readonly #limit: number;
  #chunks: Buffer[] | undefined = [];
  #bytes = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Keeps `chunk`, or drops everything kept once the body outgrows the limit. */
  keep(chunk: Buffer): void {
    if (this.#chunks === undefined) return;
    this.#bytes += chunk.length;
    if (this.#bytes > this.#limit) this.#chunks = undefined;
    else this.#chunks.push(chunk);
  }

  /** The body so far, or undefined when it outgrew the limit or was released. */
  get chunks(): readonly Buffer[] | undefined {
    return this.#chunks;
  }

  /** Drops what is kept: the request will not go out again (its answer began). */
  release(): void {
    this.#chunks = undefined;
  }
}
