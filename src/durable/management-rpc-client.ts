/**
 * The Durable extension's management API at the client binding's `rpcBaseUrl`, called directly for
 * the app's hot client calls (start, status read, raise event), #16.
 *
 * durable-functions' `DurableClient` sends these through axios: its config merging, header objects,
 * adapter and response mapping were about 90 % of the app's side of a status read. The calls here
 * send what that client sends to the same endpoint (`durableClient/DurableClient.js`, 3.5.0, its
 * `rpcBaseUrl` branch: `new URL(path, rpcBaseUrl)`, the same method, query and body, a JSON
 * content type on a POST, the caller's trace context on a start) and map the answers to the same
 * results and the same error messages. Two differences, both on purpose:
 * - a status read sends `showInput=false` when the input is not wanted (durable-functions sends only
 *   true flags, and the extension's default is to include the input, the run's plan);
 * - a request whose kept-alive socket the server had already closed is sent once more on a new one
 *   (Node's documented remedy; the server never saw it).
 * Everything else (lists, purges, terminate, a binding without `rpcBaseUrl`) stays with
 * durable-functions' client.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import type { InvocationContext } from '@azure/functions';
import { context as otelContext, propagation, trace } from '@opentelemetry/api';
import { exchangeWhole, KeepAliveAgents } from '../../azure-tables/keep-alive-http';

/** An orchestration's status as the extension answers it (the fields durable-functions requires). */
export interface ManagementStatus {
  name: string;
  instanceId: string;
  runtimeStatus: string;
  /** `null` when the input was not asked for. */
  input: unknown;
  output: unknown;
  customStatus: unknown;
  createdTime: string;
  lastUpdatedTime: string;
}

/** An answer of the management API: its status and its body as axios would hand it over. */
interface ManagementAnswer {
  status: number;
  /** The body parsed as JSON when it is JSON, else its text ('' when empty). */
  data: unknown;
}

/** axios's `Accept` header, which durable-functions' client sends on every request. */
const ACCEPT = 'application/json, text/plain, */*';
/** The keep-alive delay axios sets on a request's socket (as `durable-functions-sdk.ts`'s agent). */
const KEEP_ALIVE_DELAY_MS = 60_000;
/**
 * An idle socket is closed after this long: under the 5 s after which a Node server (the local
 * host's listener) closes an idle connection, so the client rarely sends on one being closed.
 */
const IDLE_SOCKET_MS = 4_000;

const agents = new KeepAliveAgents({
  keepAliveMsecs: KEEP_ALIVE_DELAY_MS,
  scheduling: 'lifo',
  timeout: IDLE_SOCKET_MS,
});

/** A path segment that `new URL` leaves as it is and that cannot walk up (`.`, `..`). */
const PLAIN_SEGMENT = /^[A-Za-z0-9_-]+$/;

/** The message durable-functions' client rejects with for a status it does not expect. */
function unexpectedStatus(answer: ManagementAnswer): Error {
  return new Error(
    `The operation failed with an unexpected status code: ${answer.status}. Details: ${JSON.stringify(answer.data)}`,
  );
}

/** durable-functions' `DurableOrchestrationStatus` check, with the input optional when not asked for. */
function isStatus(value: unknown, withInput: boolean): value is ManagementStatus {
  const status = value as Partial<ManagementStatus> | undefined;
  return (
    typeof status === 'object' &&
    status !== null &&
    typeof status.name === 'string' &&
    typeof status.instanceId === 'string' &&
    typeof status.createdTime === 'string' &&
    typeof status.lastUpdatedTime === 'string' &&
    (!withInput || status.input !== undefined) &&
    status.output !== undefined &&
    typeof status.runtimeStatus === 'string'
  );
}

/** axios's reading of a body: JSON when it parses, else the text. */
function bodyData(text: string): unknown {
  if (text === '') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The client of one extension endpoint (`rpcBaseUrl`). */
export class ManagementRpcClient {
  readonly #base: URL;
  readonly #protocol: string;
  readonly #hostname: string;
  readonly #port: string;
  /** The base's path up to its last `/`, where `new URL(relative, base)` puts a relative path. */
  readonly #directory: string;

  /**
   * @param rpcBaseUrl - the binding's `rpcBaseUrl` (an http or https URL; the extension's ends with
   *   `/durabletask/`).
   */
  constructor(rpcBaseUrl: string) {
    this.#base = new URL(rpcBaseUrl);
    this.#protocol = this.#base.protocol;
    // An IPv6 literal comes with its brackets, which the request options take without.
    this.#hostname = this.#base.hostname.replace(/^\[(.*)\]$/, '$1');
    this.#port = this.#base.port;
    this.#directory = this.#base.pathname.slice(0, this.#base.pathname.lastIndexOf('/') + 1);
  }

  /** Whether `rpcBaseUrl` is an endpoint this client can call (an http or https URL). */
  static accepts(rpcBaseUrl: unknown): rpcBaseUrl is string {
    if (typeof rpcBaseUrl !== 'string') return false;
    try {
      const url = new URL(rpcBaseUrl);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }

  /**
   * `GET instances/{id}`; undefined when the instance does not exist (404). With `showInput: false`
   * the answer's input is `null`.
   */
  async getStatus(
    instanceId: string,
    options: { showInput?: boolean } = {},
  ): Promise<ManagementStatus | undefined> {
    const withInput = options.showInput === true;
    const answer = await this.#send(
      'GET',
      this.#path(['instances', instanceId], withInput ? 'showInput=true' : 'showInput=false'),
    );
    switch (answer.status) {
      case 200:
      case 202:
      case 400: {
        if (!answer.data) {
          throw new Error(
            `DurableClient error: the Durable Functions extension replied with an empty HTTP ${answer.status} response.`,
          );
        }
        if (!isStatus(answer.data, withInput)) {
          throw new Error(
            'DurableClient error: could not construct a DurableOrchestrationStatus object using the data received from the Durable Functions extension: ' +
              `Failed to construct a DurableOrchestrationStatus object because the initializer had invalid types or missing fields. Initializer received: ${JSON.stringify(answer.data)}`,
          );
        }
        return answer.data.input === undefined ? { ...answer.data, input: null } : answer.data;
      }
      case 404:
        return undefined;
      default:
        throw unexpectedStatus(answer);
    }
  }

  /** `POST orchestrators/{name}/{instanceId}` with the input as JSON; the instance's id. */
  async startNew(orchestratorName: string, options: { instanceId: string; input: unknown }): Promise<string> {
    if (!orchestratorName) throw new Error('orchestratorFunctionName must be a valid string.');
    const headers: OutgoingHttpHeaders = {};
    // As durable-functions does: the caller's trace context, when a span is active.
    const active = otelContext.active();
    if (trace.getSpan(active)) propagation.inject(active, headers);
    const segments = options.instanceId
      ? ['orchestrators', orchestratorName, options.instanceId]
      : ['orchestrators', orchestratorName];
    const body = options.input === undefined ? '""' : JSON.stringify(options.input);
    const answer = await this.#send('POST', this.#path(segments), body, headers);
    const id = (answer.data as { id?: unknown } | null | undefined)?.id;
    if (answer.data && answer.status <= 202) return id as string;
    throw unexpectedStatus(answer);
  }

  /** `POST instances/{id}/raiseEvent/{name}` with the data as JSON; an ended instance (410) is no error. */
  async raiseEvent(instanceId: string, eventName: string, eventData: unknown): Promise<void> {
    if (!eventName) throw new Error('eventName must be a valid string.');
    const body = JSON.stringify(eventData) as string | undefined;
    const answer = await this.#send(
      'POST',
      this.#path(['instances', instanceId, 'raiseEvent', eventName]),
      body,
    );
    switch (answer.status) {
      case 202:
      case 410:
        return;
      case 404:
        throw new Error(`No instance with ID '${instanceId}' found.`);
      default:
        throw unexpectedStatus(answer);
    }
  }

  /** The request path of `segments` (and `query`) under the base, as `new URL(path, rpcBaseUrl)` makes it. */
  #path(segments: string[], query?: string): string {
    const relative = segments.join('/') + (query === undefined ? '' : `?${query}`);
    if (segments.every((segment) => PLAIN_SEGMENT.test(segment))) return this.#directory + relative;
    const url = new URL(relative, this.#base);
    return url.pathname + url.search;
  }

  async #send(
    method: 'GET' | 'POST',
    path: string,
    body?: string,
    extra?: OutgoingHttpHeaders,
  ): Promise<ManagementAnswer> {
    const headers: OutgoingHttpHeaders = { ...extra, accept: ACCEPT };
    if (method === 'POST') {
      headers['content-type'] = 'application/json';
      headers['content-length'] = body === undefined ? 0 : Buffer.byteLength(body);
    }
    const answer = await exchangeWhole({
      target: { protocol: this.#protocol, hostname: this.#hostname, port: this.#port, path },
      method,
      headers,
      body,
      agents,
    });
    return { status: answer.status, data: bodyData(answer.body.toString('utf8')) };
  }
}

/** The clients made, by `rpcBaseUrl` (one per host endpoint; a few at most). */
const clients = new Map<string, ManagementRpcClient>();
const MAX_CLIENTS = 8;

/** The shared client of `rpcBaseUrl` (see {@link ManagementRpcClient.accepts}). */
export function managementRpcClient(rpcBaseUrl: string): ManagementRpcClient {
  let client = clients.get(rpcBaseUrl);
  if (client === undefined) {
    if (clients.size >= MAX_CLIENTS) clients.clear();
    client = new ManagementRpcClient(rpcBaseUrl);
    clients.set(rpcBaseUrl, client);
  }
  return client;
}

/** The fields durable-functions' `getClient` requires of the binding's data, and the endpoint. */
interface ClientData {
  taskHubName?: unknown;
  creationUrls?: unknown;
  managementUrls?: unknown;
  rpcBaseUrl?: unknown;
}

/**
 * The direct client for an invocation's durableClient input, or undefined when its data name no
 * usable `rpcBaseUrl`, or are not data durable-functions' `getClient` accepts (its client then
 * serves, or says what is wrong, as before).
 */
export function managementRpcClientOf(context: InvocationContext): ManagementRpcClient | undefined {
  const input = context.options.extraInputs.find((candidate) => candidate.type === 'durableClient');
  const data = (input === undefined ? undefined : context.extraInputs.get(input)) as
    ClientData | null | undefined;
  if (typeof data !== 'object' || data === null) return undefined;
  if (data.taskHubName === undefined || data.creationUrls === undefined || data.managementUrls === undefined)
    return undefined;
  const rpcBaseUrl = data.rpcBaseUrl;
  if (typeof rpcBaseUrl !== 'string') return undefined;
  const kept = clients.get(rpcBaseUrl);
  if (kept !== undefined) return kept;
  return ManagementRpcClient.accepts(rpcBaseUrl) ? managementRpcClient(rpcBaseUrl) : undefined;
}
