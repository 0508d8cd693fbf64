/**
 * What {@link TableBatch} and {@link TableQuery} share: the table client's account URL split into
 * its address and its SAS, and sending one request of the Table service's REST API with the
 * service version both are written against.
 *
 * A request goes through the table client's own policies that act on the wire request: its
 * credential's (shared key, SAS, or an Entra ID bearer token with the SDK's token cache and tenant
 * challenge), its retries (the SDK's defaults: throttling with `Retry-After`, exponential on 408,
 * 5xx and dropped connections), user agent, client request id, tracing and logging, each the
 * client's own instance, in the client's order. It skips the policies that do nothing for these
 * requests (serializing and deserializing operation specs, form data and multipart bodies,
 * decompression it never asks for, abort signals it never passes, redirects the Table service
 * does not send) and sends on {@link tableHttpClient} rather than the SDK's default client. Those
 * took 6-12 % of a transaction's client CPU (bench/README.md, "Tenth round"). A client with a
 * policy not named here (one added by its creator, Cosmos DB's), or a proxy in the environment
 * (the SDK's proxy policy), sends on its whole pipeline as before.
 *
 * A caller may give a {@link TableTransport} instead (the local host's engine, which signs with its
 * own SAS); that transport then owns authentication and retries.
 */
import type { TableClient } from '@azure/data-tables';
import type * as CoreRestPipelineModule from '@azure/core-rest-pipeline';
import type {
  HttpClient,
  PipelinePolicy,
  PipelineRequest,
  PipelineResponse,
} from '@azure/core-rest-pipeline';
import { namedKeyOf, sharedKeyLitePolicy } from './shared-key-lite';
import { tableHttpClient } from './table-http-client';

type CoreRestPipeline = typeof CoreRestPipelineModule;

let corePipeline: Promise<{ core: CoreRestPipeline; http: HttpClient; lean: HttpClient }> | undefined;

/** The pipeline helpers and the HTTP clients (with their keep-alive connections) of the process. */
function pipelineCore(): Promise<{ core: CoreRestPipeline; http: HttpClient; lean: HttpClient }> {
  corePipeline ??= import('@azure/core-rest-pipeline').then((core) => ({
    core,
    http: core.createDefaultHttpClient(),
    lean: tableHttpClient(core),
  }));
  return corePipeline;
}

/** The client policies a request goes through: those that act on the request on the wire. */
const KEPT_POLICIES = new Set([
  'userAgentPolicy',
  'setClientRequestIdPolicy',
  'tablesNamedKeyCredentialPolicy',
  'tablesSASTokenPolicy',
  'bearerTokenAuthenticationPolicy',
  'defaultRetryPolicy',
  'tracingPolicy',
  'logPolicy',
]);

/**
 * The client policies skipped: operation-spec (de)serialization, form data and multipart bodies,
 * abort signals, `Accept-Encoding` and decompression, redirects, the proxy (only when none is set).
 */
const SKIPPED_POLICIES = new Set([
  'serializationPolicy',
  'deserializationPolicy',
  'formDataPolicy',
  'multipartPolicy',
  'wrapAbortSignalLikePolicy',
  'decompressResponsePolicy',
  'redirectPolicy',
  'proxyPolicy',
]);

/** The environment variables the SDK's proxy policy reads a proxy from. */
const PROXY_SETTINGS = ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'https_proxy', 'http_proxy', 'all_proxy'];

type Send = (request: PipelineRequest) => Promise<PipelineResponse>;

/** Each client's send, built once: its kept policies around the lean HTTP client, or its whole pipeline. */
const sends = new WeakMap<TableClient, Send>();

/**
 * The client's kept policies chained around `http`, or undefined when the client has a policy this
 * module does not know (its whole pipeline then sends) or a proxy is configured.
 */
export function leanChain(client: TableClient, http: HttpClient): Send | undefined {
  if (PROXY_SETTINGS.some((name) => process.env[name])) return undefined;
  const policies: PipelinePolicy[] = [];
  for (const policy of client.pipeline.getOrderedPolicies()) {
    if (policy.name === 'tablesNamedKeyCredentialPolicy') {
      // The same signature, kept for the requests that sign the same string (shared-key-lite.ts).
      const key = namedKeyOf(client);
      policies.push(key ? sharedKeyLitePolicy(key) : policy);
    } else if (KEPT_POLICIES.has(policy.name)) policies.push(policy);
    else if (!SKIPPED_POLICIES.has(policy.name)) return undefined;
  }
  return policies.reduceRight<Send>(
    (next, policy) => (request) => policy.sendRequest(request, next),
    (request) => http.sendRequest(request),
  );
}

/** One request of the Table service's REST API. */
export interface TableRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** The Table service's answer, whichever way the request went. */
export interface TableAnswer {
  status: number;
  bodyAsText?: string | null | undefined;
  /** Set when the client's pipeline parsed a JSON answer (its deserialization policy). */
  parsedBody?: unknown;
  headers: { get(name: string): string | undefined };
}

/**
 * Sends a request without the client's pipeline. It authenticates the request itself (e.g. with a
 * SAS it adds to the URL) and answers any status, throwing only when no answer came.
 */
export type TableTransport = (request: TableRequest) => Promise<TableAnswer>;

/** A sent request and its answer. */
export interface TableExchange {
  response: TableAnswer;
  /** The SDK's `RestError` for this exchange, as the SDK's own operations throw it. */
  restError(this: void, message: string, code: string | undefined, statusCode: number): Promise<Error>;
}

/** Options of {@link TableRequests}. */
export interface TableRequestsOptions {
  allowInsecureConnection?: boolean;
  /** Sends the requests instead of the client's pipeline. */
  transport?: TableTransport | undefined;
}

/** Sends Table service requests of one table on that table's client pipeline (or a given transport). */
export class TableRequests {
  readonly client: TableClient;
  /** The account URL without its SAS and without a trailing slash. */
  readonly base: string;
  /** The account URL's SAS without its `?`; empty when there is none. */
  readonly sas: string;
  readonly #allowInsecureConnection: boolean;
  readonly #transport: TableTransport | undefined;

  constructor(client: TableClient, options: TableRequestsOptions = {}) {
    this.client = client;
    this.#allowInsecureConnection = options.allowInsecureConnection ?? false;
    this.#transport = options.transport;
    const [base = '', sas = ''] = client.url.split('?');
    this.base = base.endsWith('/') ? base.slice(0, -1) : base;
    this.sas = sas;
  }

  /** Sends one request; any status is returned, none thrown. */
  async send(
    method: 'GET' | 'POST',
    url: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<TableExchange> {
    const allHeaders = { 'x-ms-version': '2019-02-02', ...headers };
    const pipelineRequest = (core: CoreRestPipeline): PipelineRequest =>
      core.createPipelineRequest({
        url,
        method,
        ...(body === undefined ? {} : { body }),
        headers: core.createHttpHeaders(allHeaders),
        allowInsecureConnection: this.#allowInsecureConnection,
      });
    if (this.#transport) {
      const answer = await this.#transport({
        method,
        url,
        headers: allHeaders,
        ...(body === undefined ? {} : { body }),
      });
      return {
        response: answer,
        async restError(message, code, statusCode) {
          // Built only for a failure: the error carries a request and a response as the SDK's do.
          const { core } = await pipelineCore();
          const request = pipelineRequest(core);
          const response: PipelineResponse = {
            request,
            status: answer.status,
            headers: core.createHttpHeaders(),
            bodyAsText: answer.bodyAsText ?? null,
          };
          return new core.RestError(message, { code, statusCode, request, response });
        },
      };
    }
    const { core, http, lean } = await pipelineCore();
    const request = pipelineRequest(core);
    let send = sends.get(this.client);
    if (!send) {
      const client = this.client;
      send = leanChain(client, lean) ?? ((request) => client.pipeline.sendRequest(http, request));
      sends.set(client, send);
    }
    const response = await send(request);
    return {
      response,
      restError: (message, code, statusCode) =>
        Promise.resolve(new core.RestError(message, { code, statusCode, request, response })),
    };
  }
}
