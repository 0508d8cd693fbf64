/**
 * The HTTP client under {@link TableRequests}' pipeline: one request on Node's own `node:http` /
 * `node:https` with keep-alive agents, its answer read whole as text. The Table service's answers
 * to the requests sent here (a `$batch`, a query page) are small and read whole anyway.
 *
 * Why not the SDK's default client (`createDefaultHttpClient`): it wraps every request in an abort
 * controller and stream handling for bodies of every kind (streams, blobs, form data), which this
 * transport never sends. It is part of the CPU a request costs (bench/README.md, "Tenth round").
 * What it does that matters here is done the same way: keep-alive agents per protocol, a failed
 * exchange thrown as the SDK's `RestError` with the system error's code (`ECONNRESET`...), so the
 * SDK's retry policy retries it as it does for its own client.
 *
 * One failure it does not leave to that policy: a request on a kept-alive connection the server
 * had closed while it was idle, which fails before any byte of an answer (keep-alive-http's one
 * resend, as the library's other clients make it). The policy would retry it too, but only after
 * its back-off (0.7-0.9 s measured against a local server), on a request the server never read.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import type * as CoreRestPipelineModule from '@azure/core-rest-pipeline';
import type { HttpClient, PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline';
import { exchangeWhole, KeepAliveAgents, type WholeAnswer } from './keep-alive-http';

type CoreRestPipeline = typeof CoreRestPipelineModule;

const agents = new KeepAliveAgents();

function headersOf(request: PipelineRequest): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of request.headers) headers[name] = value;
  const body = request.body;
  if (typeof body === 'string' && headers['content-length'] === undefined) {
    headers['content-length'] = Buffer.byteLength(body);
  }
  return headers;
}

/** An `HttpClient` for string bodies (or none), answering with the body as text. */
export function tableHttpClient(core: CoreRestPipeline): HttpClient {
  const failed = (error: Error & { code?: string }, request: PipelineRequest) =>
    new core.RestError(error.message, { code: error.code ?? core.RestError.REQUEST_SEND_ERROR, request });
  return {
    sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const body = request.body;
      if (body !== undefined && body !== null && typeof body !== 'string') {
        return Promise.reject(new TypeError('The table transport sends string bodies only.'));
      }
      const toResponse = (answer: WholeAnswer): PipelineResponse => {
        const headers = core.createHttpHeaders();
        for (const [name, value] of Object.entries(answer.headers)) {
          if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        return { request, status: answer.status, headers, bodyAsText: answer.body.toString('utf8') };
      };
      return exchangeWhole({
        target: new URL(request.url),
        method: request.method,
        headers: headersOf(request),
        body: body ?? undefined,
        agents,
        staleResends: 1,
      }).then(toResponse, (error: Error) => Promise.reject(failed(error, request)));
    },
  };
}
