/**
 * What {@link TableBatch} and {@link TableQuery} share: the table client's account URL split into
 * its address and its SAS, and sending one request of the Table service's REST API, with the
 * service version both are written against. Requests go on the client's own HTTP pipeline (its
 * credential, retry and logging policies), or on a {@link TableTransport} the caller gives, which
 * then owns authentication and retries.
 */
import type { TableClient } from '@azure/data-tables';
import type * as CoreRestPipelineModule from '@azure/core-rest-pipeline';
import type { HttpClient, PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline';

type CoreRestPipeline = typeof CoreRestPipelineModule;

let corePipeline: Promise<{ core: CoreRestPipeline; http: HttpClient }> | undefined;

/** The pipeline helpers and one HTTP client (with its keep-alive connections) for the process. */
function pipelineCore(): Promise<{ core: CoreRestPipeline; http: HttpClient }> {
  corePipeline ??= import('@azure/core-rest-pipeline').then((core) => ({
    core,
    http: core.createDefaultHttpClient(),
  }));
  return corePipeline;
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
    const { core, http } = await pipelineCore();
    const request = pipelineRequest(core);
    const response = await this.client.pipeline.sendRequest(http, request);
    return {
      response,
      restError: (message, code, statusCode) =>
        Promise.resolve(new core.RestError(message, { code, statusCode, request, response })),
    };
  }
}
