/**
 * The bench's own HTTP client for durable-handoff's API: `node:http` over one keep-alive pool.
 *
 * The client is the measuring harness, not the service under test, yet it runs in the measured
 * worker process (OpenAI Agents and LangGraph are called in-process, with no client at all). Node's
 * global `fetch` (undici, WHATWG streams and headers) cost 0.26-0.37 ms more CPU per request than
 * this on the same machine, about 0.6 ms per `handoff` run charged to durable-handoff for nothing
 * the service does (bench/README.md, "Eleventh round"). The requests, their bodies and the answers
 * are the same; only the client's own overhead is smaller.
 */
import http from 'node:http';

/** What an exchange answered: the status and the body as text. */
export interface BenchHttpAnswer {
  status: number;
  text: string;
}

/** Options of {@link benchHttpRequest}. */
export interface BenchHttpRequest {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** A JSON or text body (sent with its byte length). */
  body?: string;
}

// One pool for every bench host: connections are kept per host and port, as fetch keeps them.
const pool = new http.Agent({ keepAlive: true });

/** Sends one request over the bench's keep-alive pool and reads the whole answer. */
export function benchHttpRequest(url: string, request: BenchHttpRequest): Promise<BenchHttpAnswer> {
  const headers: Record<string, string | number> = { ...request.headers };
  if (request.body !== undefined) headers['content-length'] = Buffer.byteLength(request.body);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: request.method, agent: pool, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(request.body);
  });
}
