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
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type * as CoreRestPipelineModule from '@azure/core-rest-pipeline';
import type { HttpClient, PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline';

type CoreRestPipeline = typeof CoreRestPipelineModule;

let agents: { http: http.Agent; https: https.Agent } | undefined;

function agentFor(url: URL): http.Agent {
  agents ??= { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  return url.protocol === 'https:' ? agents.https : agents.http;
}

function headersOf(request: PipelineRequest): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = {};
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
      const url = new URL(request.url);
      const transport = url.protocol === 'https:' ? https : http;
      return new Promise<PipelineResponse>((resolve, reject) => {
        const outgoing = transport.request(
          url,
          { method: request.method, headers: headersOf(request), agent: agentFor(url) },
          (incoming) => {
            const chunks: Buffer[] = [];
            incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
            incoming.on('error', (error) => reject(failed(error, request)));
            incoming.on('end', () => {
              const headers = core.createHttpHeaders();
              for (const [name, value] of Object.entries(incoming.headers)) {
                if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
              }
              resolve({
                request,
                status: incoming.statusCode ?? 0,
                headers,
                bodyAsText:
                  chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'),
              });
            });
          },
        );
        outgoing.on('error', (error) => reject(failed(error, request)));
        outgoing.end(body ?? undefined);
      });
    },
  };
}
