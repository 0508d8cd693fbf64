/**
 * What {@link TableBatch} and {@link TableQuery} share: the table client's account URL split into
 * its address and its SAS, and sending one request of the Table service's REST API on the client's
 * own HTTP pipeline (its credential, retry and logging policies), with the service version both
 * are written against.
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

/** A sent request, its response and the pipeline helpers (for `RestError`). */
export interface TableExchange {
  core: CoreRestPipeline;
  request: PipelineRequest;
  response: PipelineResponse;
}

/** Sends Table service requests of one table on that table's client pipeline. */
export class TableRequests {
  readonly client: TableClient;
  /** The account URL without its SAS and without a trailing slash. */
  readonly base: string;
  /** The account URL's SAS without its `?`; empty when there is none. */
  readonly sas: string;
  readonly #allowInsecureConnection: boolean;

  constructor(client: TableClient, options: { allowInsecureConnection?: boolean } = {}) {
    this.client = client;
    this.#allowInsecureConnection = options.allowInsecureConnection ?? false;
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
    const { core, http } = await pipelineCore();
    const request = core.createPipelineRequest({
      url,
      method,
      ...(body === undefined ? {} : { body }),
      headers: core.createHttpHeaders({ 'x-ms-version': '2019-02-02', ...headers }),
      allowInsecureConnection: this.#allowInsecureConnection,
    });
    const response = await this.client.pipeline.sendRequest(http, request);
    return { core, request, response };
  }
}
