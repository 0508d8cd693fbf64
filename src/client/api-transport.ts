import type { z } from 'zod';
import { formatIssues } from '../core/zod-issues';
import { errorFromResponse, HandoffApiError } from './handoff-api-error';

/** The `fetch` the client calls: the global one, or one you pass (a proxy, a test's). */
export type FetchFunction = (input: string, init?: RequestInit) => Promise<Response>;

/** How requests reach the API: where it is, with which credentials, through which fetch. */
export interface ApiTransport {
  /** The API root, e.g. `http://localhost:7071/api` (no trailing slash). */
  apiUrl: string;
  functionKey: string | undefined;
  fetch: FetchFunction;
}

/** One request to the API. */
export interface ApiRequest {
  method: 'GET' | 'POST';
  /** Path under the API root, starting with `/`. */
  path: string;
  /** The run token, sent as `Authorization: Bearer`. */
  token?: string | undefined;
  /** A JSON body. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
}

/** The headers every request carries: the run token, the function key, and what it accepts. */
export function requestHeaders(
  transport: ApiTransport,
  request: Pick<ApiRequest, 'token' | 'headers' | 'body'>,
): Record<string, string> {
  return {
    accept: 'application/json',
    ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
    ...(request.token ? { authorization: `Bearer ${request.token}` } : {}),
    ...(transport.functionKey ? { 'x-functions-key': transport.functionKey } : {}),
    ...(request.headers ?? {}),
  };
}

/**
 * Sends a request and returns the raw response when it is a success. A network failure becomes a
 * `connection_failed` error; an error answer becomes the {@link HandoffApiError} its body describes.
 * Aborting through `signal` rejects with the signal's reason, unchanged.
 */
export async function send(transport: ApiTransport, request: ApiRequest): Promise<Response> {
  const url = `${transport.apiUrl}${request.path}`;
  const label = `${request.method} ${url}`;
  let response: Response;
  try {
    response = await transport.fetch(url, {
      method: request.method,
      headers: requestHeaders(transport, request),
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      ...(request.signal ? { signal: request.signal } : {}),
    });
  } catch (error) {
    if (request.signal?.aborted) throw request.signal.reason;
    throw connectionFailed(label, error);
  }
  if (!response.ok) throw await errorFromResponse(response, label);
  return response;
}

/** The error for a request that got no answer. */
export function connectionFailed(request: string, cause: unknown): HandoffApiError {
  return new HandoffApiError('connection_failed', `${request} got no answer: ${describeCause(cause)}.`, {
    status: 0,
    request,
    cause,
  });
}

/** The message of an error-like value; `instanceof Error` fails for errors of another realm. */
function messageOf(value: unknown): string | undefined {
  const message = (value as { message?: unknown } | null)?.message;
  return typeof value === 'object' && typeof message === 'string' ? message : undefined;
}

function describeCause(cause: unknown): string {
  const message = messageOf(cause);
  if (message === undefined) return String(cause);
  // undici puts the system error (ECONNREFUSED, ECONNRESET...) in `cause`.
  const inner = messageOf((cause as { cause?: unknown }).cause);
  return inner === undefined ? message : `${message} (${inner})`;
}

/** Sends a request and parses its JSON answer with `schema`; an unreadable answer is `invalid_response`. */
export async function callApi<T>(
  transport: ApiTransport,
  request: ApiRequest,
  schema: z.ZodType<T>,
): Promise<T> {
  const response = await send(transport, request);
  const label = `${request.method} ${transport.apiUrl}${request.path}`;
  let json: unknown;
  try {
    json = await response.json();
  } catch (error) {
    if (request.signal?.aborted) throw request.signal.reason;
    throw new HandoffApiError('invalid_response', `${label} answered ${response.status} without JSON.`, {
      status: response.status,
      request: label,
      cause: error,
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new HandoffApiError(
      'invalid_response',
      `${formatIssues(`${label} answered with an unexpected body`, parsed.error)}.`,
      { status: response.status, request: label },
    );
  }
  return parsed.data;
}
