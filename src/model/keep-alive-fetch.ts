/**
 * The `fetch` the `openai` client is given: Node's own HTTP client (`node:http`, `node:https`) on
 * a keep-alive agent, answering with a standard `Response`.
 *
 * Why: Node's global `fetch` (its bundled undici, with WHATWG streams on both sides of the
 * exchange) costs about 0.6 ms more CPU per model call than `node:http` on the same keep-alive
 * connection (bench/README.md, "Eighth round"), and a durable agent turn makes one model call.
 * The `openai` client takes any `fetch`, so it keeps building the request (URL, api-version,
 * deployment path, auth headers, body) exactly as before; only the transport changes.
 *
 * What goes over the wire is what the global `fetch` sends for the client's requests: the client's
 * headers, `accept-encoding: gzip, deflate` (a compressed answer is decompressed), the body's
 * length. Anything this does not handle the same way goes to the global `fetch`, which decides: a
 * body that is not text or bytes, a URL that is not http(s), a redirect (the request is sent again
 * through `fetch`, which follows it). Failures are `Error`s of the calling realm: an abort rejects
 * with an `AbortError`, a connection failure with `TypeError('fetch failed')` whose cause is Node's
 * error, as the global `fetch` does.
 */
import { request as httpRequest, type Agent, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { KeepAliveAgents } from '../../azure-tables/keep-alive-http';
import { realmSafeFetch, toLocalError } from './realm-safe-fetch';

/** Options of {@link createKeepAliveFetch}. */
export interface KeepAliveFetchOptions {
  /** Sends what this fetch does not handle itself; the realm-safe global `fetch` by default. */
  fallback?: typeof fetch;
  /**
   * How long an idle pooled connection is kept, in ms (5000, as Node's global agent). It applies to
   * connections between calls only: a call waiting on a slow model is not cut by it.
   */
  idleSocketTimeoutMs?: number;
}

/** A request this fetch sends itself. */
interface Plan {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: Uint8Array | string | undefined;
  signal: AbortSignal | undefined;
}

/** Statuses whose response has no body (the Fetch standard's null body statuses). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);
const REDIRECT = new Set([301, 302, 303, 307, 308]);
/** How long the rest of a cancelled body may take to arrive before its connection is closed. */
const DRAIN_MS = 1_000;

/**
 * A `fetch` on Node's HTTP client with keep-alive connections of its own (as Node's global agent:
 * idle connections close after 5 s or before the server's announced keep-alive timeout).
 *
 * @example
 * ```ts
 * const client = new OpenAI({ apiKey, baseURL, maxRetries: 0, fetch: createKeepAliveFetch() });
 * ```
 */
export function createKeepAliveFetch(options: KeepAliveFetchOptions = {}): typeof fetch {
  const fallback = options.fallback ?? realmSafeFetch;
  const agents = new KeepAliveAgents({ scheduling: 'lifo', timeout: options.idleSocketTimeoutMs ?? 5_000 });
  return async (input, init) => {
    const plan = planOf(input, init);
    if (plan === undefined) return fallback(input, init);
    const answer = await send(plan, agents.of(plan.url.protocol === 'https:'));
    if (REDIRECT.has(answer.statusCode ?? 0) && answer.headers.location !== undefined) {
      answer.resume();
      return fallback(input, init);
    }
    return toResponse(answer, plan.url);
  };
}

/** The request as this fetch sends it, or `undefined` when it is one for the global `fetch`. */
function planOf(input: Parameters<typeof fetch>[0], init: RequestInit | undefined): Plan | undefined {
  if (typeof input !== 'string' && !(input instanceof URL)) return undefined;
  const url = new URL(input);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  if (init?.redirect !== undefined && init.redirect !== 'follow') return undefined;
  const body = init?.body ?? undefined;
  if (body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array)) return undefined;
  const method = (init?.method ?? 'GET').toUpperCase();
  if ((method === 'GET' || method === 'HEAD') && body !== undefined) return undefined;

  const headers: Record<string, string> = {};
  const given = init?.headers;
  if (given !== undefined) {
    const list = given instanceof Headers ? given : new Headers(given);
    list.forEach((value, name) => {
      headers[name] = value;
    });
  }
  // What the global fetch adds when the caller did not set it.
  headers['accept'] ??= '*/*';
  headers['accept-encoding'] ??= 'gzip, deflate';
  if (body !== undefined) {
    headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
    if (typeof body === 'string') headers['content-type'] ??= 'text/plain;charset=UTF-8';
  } else if (method !== 'GET' && method !== 'HEAD') {
    headers['content-length'] = '0';
  }
  return { url, method, headers, body, signal: init?.signal ?? undefined };
}

/** Sends the request; resolves with the response once its headers arrived. */
function send(plan: Plan, agent: Agent): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const { signal } = plan;
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const request = (plan.url.protocol === 'https:' ? httpsRequest : httpRequest)(plan.url, {
      method: plan.method,
      headers: plan.headers,
      agent,
    });
    let answer: IncomingMessage | undefined;
    // Before the answer, an abort rejects the call; after it, it fails the body's read (as the
    // global fetch does).
    const onAbort = () => {
      const error = abortError(signal);
      answer?.destroy(error);
      request.destroy(error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    request.once('response', (response) => {
      answer = response;
      response.once('close', () => signal?.removeEventListener('abort', onAbort));
      resolve(response);
    });
    request.on('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(
        signal?.aborted ? abortError(signal) : new TypeError('fetch failed', { cause: toLocalError(error) }),
      );
    });
    request.end(plan.body);
  });
}

function abortError(signal: AbortSignal | undefined): Error {
  const error = new Error('This operation was aborted', { cause: signal?.reason });
  error.name = 'AbortError';
  return error;
}

/** The answer as a `Response` whose body streams (and decompresses) the bytes as they arrive. */
function toResponse(answer: IncomingMessage, url: URL): Response {
  const status = answer.statusCode ?? 0;
  if (status < 200 || status > 599) {
    answer.destroy();
    throw new TypeError('fetch failed', {
      cause: new Error(`The server answered with HTTP status ${status}, which fetch does not accept.`),
    });
  }
  const raw = answer.rawHeaders;
  const headers: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) headers.push([raw[i]!, raw[i + 1]!]);
  const init = { status, statusText: answer.statusMessage ?? '', headers };
  let response: Response;
  if (NULL_BODY.has(status)) {
    answer.resume();
    response = new Response(null, init);
  } else {
    response = new NodeBodyResponse(new NodeBody(decoded(answer), answer), init);
  }
  // A constructed Response has no URL; the client reads it for its log lines.
  Object.defineProperty(response, 'url', { value: url.href });
  return response;
}

/**
 * The bytes of an answer's body (the answer or its decoder), read from Node's stream either by a
 * web `ReadableStream` ({@link NodeBody.stream}) or straight ({@link NodeBody.each}), once.
 */
class NodeBody {
  readonly #source: Readable;
  readonly #answer: IncomingMessage;
  #open = true;
  /** A failure before anyone reads: kept for the reader. */
  #failure: { error: unknown } | undefined;
  #onError: ((error: unknown) => void) | undefined;

  constructor(source: Readable, answer: IncomingMessage) {
    this.#source = source;
    this.#answer = answer;
    // From the start (an abort may come before the body is read), and kept after a cancel too: an
    // error without a listener would be thrown.
    source.on('error', (error) => {
      const local = toLocalError(error);
      if (!this.#open) return;
      if (this.#onError === undefined) this.#failure ??= { error: local };
      else {
        this.#open = false;
        this.#onError(local);
      }
    });
  }

  /** The body as a byte stream, read as it is pulled. */
  stream(): ReadableStream<Uint8Array> {
    const source = this.#source;
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        source.on('data', (chunk: Buffer) => {
          if (!this.#open) return;
          controller.enqueue(chunk);
          if ((controller.desiredSize ?? 0) <= 0) source.pause();
        });
        source.once('end', () => {
          if (this.#open) controller.close();
          this.#open = false;
        });
        this.#reportErrorsTo((error) => controller.error(error));
        source.pause();
      },
      pull() {
        source.resume();
      },
      cancel: () => this.cancel(),
    });
  }

  /**
   * Hands each chunk to `onChunk` as it arrives, then calls `onEnd`, or `onError` with the read's
   * failure (an `Error` of this realm). Nothing is handed on after {@link NodeBody.cancel}.
   */
  each(onChunk: (chunk: Buffer) => void, onEnd: () => void, onError: (error: unknown) => void): void {
    const source = this.#source;
    source.on('data', (chunk: Buffer) => {
      if (this.#open) onChunk(chunk);
    });
    source.once('end', () => {
      if (this.#open) onEnd();
      this.#open = false;
    });
    this.#reportErrorsTo(onError);
  }

  #reportErrorsTo(onError: (error: unknown) => void): void {
    this.#onError = onError;
    const failure = this.#failure;
    if (failure === undefined || !this.#open) return;
    this.#open = false;
    onError(failure.error);
  }

  /**
   * Stops reading. What is left of an answer that is complete or about to be (the last bytes after
   * a stream's final event) is drained, which keeps its connection for the next call; a body that
   * goes on is cut off.
   */
  cancel(): void {
    this.#open = false;
    const source = this.#source;
    const answer = this.#answer;
    if (source !== answer || answer.complete) {
      if (source === answer) answer.resume();
      else source.destroy();
      return;
    }
    answer.resume();
    const cut = setTimeout(() => answer.destroy(), DRAIN_MS);
    answer.once('close', () => clearTimeout(cut));
  }
}

/** A body already read: what a `Response` offers after its body was consumed. */
function usedResponse(): Response {
  const used = new Response('');
  void used.text();
  return used;
}

/**
 * A `Response` whose body stays in Node's stream until it is asked for: the standard `Response`
 * over a web byte stream is made at the first use of its body (`body`, `text()`, `json()`...), and
 * {@link takeAnswerBody} hands the bytes to a reader that takes them straight, without that stream.
 *
 * Why: a web `ReadableStream` and the promise of each read through it cost about 20 µs to make and
 * more per read, on every model call; the answer's stream reader (`streamed-completion.ts`) does
 * not need them (bench/README.md, "Twelfth round").
 */
class NodeBodyResponse extends Response {
  #body: NodeBody | undefined;
  #standard: Response | undefined;
  readonly #init: ResponseInit;

  constructor(body: NodeBody, init: ResponseInit) {
    super(null, init);
    this.#body = body;
    this.#init = init;
  }

  /** The bytes for a reader of Node's stream, once, if no one asked for the body yet. */
  take(): NodeBody | undefined {
    const body = this.#body;
    if (body === undefined || this.#standard !== undefined) return undefined;
    this.#body = undefined;
    return body;
  }

  /** The standard `Response` that holds the body from its first use on (a used one once taken). */
  standard(): Response {
    return (this.#standard ??=
      this.#body === undefined ? usedResponse() : new Response(this.#body.stream(), this.#init));
  }
}

// Every use of the body goes to the standard Response. Defined on the prototype: the typings
// declare these as properties, which a subclass cannot redeclare as methods or accessors.
const BODY_METHODS = ['text', 'json', 'arrayBuffer', 'blob', 'formData', 'bytes'] as const;
for (const name of BODY_METHODS) {
  if (typeof (Response.prototype as unknown as Record<string, unknown>)[name] !== 'function') continue;
  Object.defineProperty(NodeBodyResponse.prototype, name, {
    configurable: true,
    writable: true,
    value(this: NodeBodyResponse): unknown {
      const standard = this.standard() as unknown as Record<string, () => unknown>;
      return standard[name]!.call(standard);
    },
  });
}
Object.defineProperties(NodeBodyResponse.prototype, {
  clone: {
    configurable: true,
    writable: true,
    value(this: NodeBodyResponse): Response {
      const copy = this.standard().clone();
      Object.defineProperty(copy, 'url', { value: this.url });
      return copy;
    },
  },
  body: {
    configurable: true,
    get(this: NodeBodyResponse) {
      return this.standard().body;
    },
  },
  bodyUsed: {
    configurable: true,
    get(this: NodeBodyResponse) {
      return this.standard().bodyUsed;
    },
  },
});

/**
 * The body of a `Response` this fetch made, for a reader that takes its bytes straight from Node's
 * stream (see {@link NodeBody.each}); undefined for any other response, or once its body was used.
 */
export function takeAnswerBody(response: Response): AnswerBody | undefined {
  return response instanceof NodeBodyResponse ? response.take() : undefined;
}

/** An answer's bytes as Node's stream delivers them (see {@link takeAnswerBody}). */
export type AnswerBody = Pick<NodeBody, 'each' | 'cancel'>;

/** The body decompressed as its `content-encoding` says (the encodings the request accepts). */
function decoded(answer: IncomingMessage): Readable {
  const encoding = answer.headers['content-encoding']?.trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip()
      : encoding === 'deflate'
        ? createInflate()
        : encoding === 'br'
          ? createBrotliDecompress()
          : undefined;
  if (decoder === undefined) return answer;
  return pipeline(answer, decoder, () => undefined);
}
