/**
 * An OpenAI-compatible Chat Completions server that answers from a script, for testing workflows
 * offline: JSON and streaming (SSE) completions, tool calls, a unique id per completion, fault
 * injection, recorded requests, and a loud failure on any call the script did not expect.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { parseChatRequest } from './chat-request-schema';
import { completionBody } from './completion-json';
import { completionId, DEFAULT_SCRIPTED_MODEL, planCompletion } from './completion-plan';
import { completionChunks } from './completion-stream';
import { errorBody, readBody, sendBody, sendEventStream } from './http-exchange';
import { AGENT_HEADER } from '../model/chat-completion-request';
import { requestView } from './request-view';
import { routeOf, safeDecode, SERVED_ROUTES } from './routes';
import { resolveReply } from './resolve-reply';
import { ScriptBook } from './script-book';
import type {
  PendingStep,
  ScriptReply,
  ScriptResponder,
  ScriptStep,
  ScriptedRequest,
  ScriptedRequestView,
  UnexpectedCall,
} from './script-types';
import type {
  ScriptedModelServer,
  ScriptedModelServerOptions,
  WaitForRequestsOptions,
} from './scripted-model-server-api';
import { ScriptedModelServerError } from './scripted-model-server-error';

/**
 * Starts a scripted model server on a free port.
 *
 * @example
 * ```ts
 * const server = await startScriptedModelServer({
 *   steps: [
 *     { agent: 'triage_agent', reply: { toolCalls: [{ name: 'handoff_to_shipping_agent' }] } },
 *     { agent: 'shipping_agent', reply: { text: 'Your package will be delivered within 2 business days.' } },
 *   ],
 * });
 * try {
 *   process.env.OPENAI_BASE_URL = server.baseUrl; // ...run the workflow...
 *   server.assertComplete();
 * } finally {
 *   await server.close();
 * }
 * ```
 */
export async function startScriptedModelServer(
  options: ScriptedModelServerOptions = {},
): Promise<ScriptedModelServer> {
  const server = new ScriptedModelHttpServer(options);
  await server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  return server;
}

interface Waiter {
  count: number;
  resolve: (requests: readonly ScriptedRequest[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

class ScriptedModelHttpServer implements ScriptedModelServer {
  readonly #http: Server;
  readonly #book = new ScriptBook();
  readonly #responder: ScriptResponder | undefined;
  readonly #models: readonly string[];
  readonly #requests: ScriptedRequest[] = [];
  readonly #failures: UnexpectedCall[] = [];
  readonly #sockets = new Set<Socket>();
  readonly #sleepers = new Set<{ timer: NodeJS.Timeout; wake: (completed: boolean) => void }>();
  readonly #waiters = new Set<Waiter>();
  #received = 0;
  #completions = 0;
  #closed = false;
  #origin = '';
  #port = 0;

  constructor(options: ScriptedModelServerOptions) {
    this.#book.add(options.steps ?? []);
    this.#responder = options.responder;
    this.#models = options.models ?? [DEFAULT_SCRIPTED_MODEL];
    this.#http = createServer((request, response) => {
      this.#handle(request, response).catch((error: unknown) => {
        // A fault of the server itself still fails the test through `failures`.
        const message = `scripted model server: internal error while answering ${request.method} ${request.url}: ${String(error)}`;
        this.#failures.push({ index: this.#received, agent: undefined, path: request.url ?? '', message });
        if (!response.headersSent) sendBody(response, 500, errorBody(message, 'server_error'));
        else response.destroy();
      });
    });
    this.#http.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  get baseUrl(): string {
    return `${this.#origin}/v1`;
  }
  get origin(): string {
    return this.#origin;
  }
  get port(): number {
    return this.#port;
  }
  get requests(): readonly ScriptedRequest[] {
    return this.#requests;
  }
  get failures(): readonly UnexpectedCall[] {
    return this.#failures;
  }

  async listen(port: number, host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#http.once('error', reject);
      this.#http.listen(port, host, () => {
        this.#http.off('error', reject);
        resolve();
      });
    });
    const address = this.#http.address() as AddressInfo;
    this.#port = address.port;
    this.#origin = `http://${urlHost(host)}:${address.port}`;
  }

  addSteps(...steps: ScriptStep[]): void {
    this.#book.add(steps);
  }

  pending(): PendingStep[] {
    return this.#book.pending();
  }

  assertComplete(): void {
    const pending = this.pending();
    if (pending.length === 0 && this.#failures.length === 0) return;
    const lines = [
      ...pending.map((step) => `  unused: ${step.description}`),
      ...this.#failures.map((failure) => `  unexpected: ${failure.message}`),
    ];
    throw new ScriptedModelServerError(
      `scripted model server: the run did not go as scripted (${pending.length} step(s) unused, ` +
        `${this.#failures.length} unexpected call(s)):\n${lines.join('\n')}`,
    );
  }

  waitForRequests(count: number, options: WaitForRequestsOptions = {}): Promise<readonly ScriptedRequest[]> {
    if (this.#requests.length >= count) return Promise.resolve(this.#requests);
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        count,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.delete(waiter);
          reject(
            new ScriptedModelServerError(
              `scripted model server: waited ${timeoutMs} ms for ${count} request(s), ${this.#requests.length} arrived` +
                ` (from agents: ${this.#requests.map((r) => r.agent ?? '?').join(', ') || 'none'}).`,
            ),
          );
        }, timeoutMs),
      };
      this.#waiters.add(waiter);
    });
  }

  reset(): void {
    this.#book.clear();
    this.#requests.length = 0;
    this.#failures.length = 0;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const sleeper of this.#sleepers) {
      clearTimeout(sleeper.timer);
      sleeper.wake(false);
    }
    this.#sleepers.clear();
    for (const waiter of this.#waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(
        new ScriptedModelServerError('scripted model server: closed while a test waited for requests.'),
      );
    }
    this.#waiters.clear();
    const closed = new Promise<void>((resolve) => this.#http.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://scripted.invalid');
    const method = request.method ?? 'GET';
    const route = routeOf(method, url.pathname);
    if (route?.kind === 'models') {
      const data = this.#models.map((id) => ({
        id,
        object: 'model',
        created: 0,
        owned_by: 'durable-handoff',
      }));
      sendBody(response, 200, { object: 'list', data });
      return;
    }

    const index = ++this.#received;
    const headerAgent = request.headers[AGENT_HEADER];
    const agent = typeof headerAgent === 'string' ? safeDecode(headerAgent) : undefined;
    if (route === undefined) {
      const message = `scripted model server: unsupported route ${method} ${url.pathname} in request #${index}; it serves ${SERVED_ROUTES}`;
      this.#fail(response, 404, { index, agent, path: url.pathname, message });
      return;
    }
    const text = await readBody(request);
    if (text === undefined) {
      const message = `scripted model server: request #${index} has a body larger than the server accepts`;
      this.#fail(response, 413, { index, agent, path: url.pathname, message });
      return;
    }
    const body = parseChatRequest(text);
    if (!body.ok) {
      const message = `scripted model server: request #${index} from agent ${agent ?? '(none)'} is not a Chat Completions request: ${body.problem}`;
      this.#fail(response, 400, { index, agent, path: url.pathname, message });
      return;
    }

    const view = requestView(index, request, url, route.deployment, body.value);
    const answer = await resolveReply(this.#book, this.#responder, view);
    this.#record({ ...view, answeredBy: answer.answeredBy });
    if (!answer.ok) {
      this.#fail(response, 500, { index, agent: view.agent, path: view.path, message: answer.problem });
      return;
    }
    await this.#perform(answer.reply, view, request, response);
  }

  async #perform(
    reply: ScriptReply,
    view: ScriptedRequestView,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    if ('delayMs' in reply) {
      if (await this.#sleep(reply.delayMs)) await this.#perform(reply.then, view, request, response);
      return;
    }
    if ('reset' in reply) {
      request.socket.destroy();
      return;
    }
    if ('hang' in reply) return; // close() destroys the socket
    if ('status' in reply) {
      const body =
        reply.body ??
        (reply.status >= 400 ? errorBody(`scripted fault: HTTP ${reply.status}`, 'scripted_fault') : {});
      sendBody(response, reply.status, body, reply.headers);
      return;
    }
    this.#completions += 1;
    const plan = planCompletion(reply, view, completionId(this.#completions));
    const streaming = reply.stream ?? {};
    if (!view.stream || streaming.whole === true) {
      sendBody(response, 200, completionBody(plan));
      return;
    }
    const record = this.#requests.find((recorded) => recorded.index === view.index);
    const delay = streaming.chunkDelayMs ?? 0;
    await sendEventStream(
      response,
      completionChunks(plan, view.body.stream_options?.include_usage === true),
      {
        pause: delay > 0 ? () => this.#sleep(delay) : undefined,
        resetAfterTexts: streaming.resetAfterChunks,
        hangAfterTexts: streaming.hangAfterChunks,
        onTextSent: () => {
          if (record && record.firstTextSentAt === undefined) {
            record.firstTextSentAt = performance.timeOrigin + performance.now();
          }
        },
      },
    );
  }

  #record(request: ScriptedRequest): void {
    this.#requests.push(request);
    for (const waiter of this.#waiters) {
      if (this.#requests.length >= waiter.count) {
        clearTimeout(waiter.timer);
        this.#waiters.delete(waiter);
        waiter.resolve(this.#requests);
      }
    }
  }

  #fail(response: ServerResponse, status: number, failure: UnexpectedCall): void {
    this.#failures.push(failure);
    sendBody(
      response,
      status,
      errorBody(failure.message, status === 500 ? 'server_error' : 'invalid_request_error'),
    );
  }

  /** Resolves true after `ms`, or false at once if the server closes first. */
  #sleep(ms: number): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const sleeper = {
        wake: resolve,
        timer: setTimeout(() => {
          this.#sleepers.delete(sleeper);
          resolve(true);
        }, ms),
      };
      this.#sleepers.add(sleeper);
    });
  }
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
