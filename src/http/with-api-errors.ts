import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { ConfigurationError, DurableHandoffError } from '../core/errors';
import type { CorsPolicy } from './cors-policy';
import { ApiError } from './http-error';
import { readBoundedBody } from './read-bounded-body';

/**
 * Reads and discards a request body the handler did not read. Answering with the body unread makes
 * the worker's HTTP stream proxy close the connection with the upload still in its socket, and the
 * reset that follows can swallow the answer (the client then gets a 500 from the host).
 */
async function drainUnreadBody(request: HttpRequest): Promise<void> {
  if (request.bodyUsed) return;
  try {
    await readBoundedBody(request.body as AsyncIterable<Uint8Array> | null, 0);
  } catch {
    // The client went away or the host cut the upload: nothing left to protect.
  }
}

/**
 * Wraps an HTTP handler and drains a body it left unread (see {@link drainUnreadBody}). With `cors`,
 * `OPTIONS` is the CORS preflight, a request from a page of an origin the policy refuses gets 403,
 * and answers carry the headers an allowed page needs. An {@link ApiError} becomes its JSON error response; a configuration error a
 * 500 that names the setting to fix; anything else a 500 with a generic message (the details go to the
 * log, never to the client, and never with request headers, so tokens and keys are not logged).
 */
export function withApiErrors(
  handler: (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>,
  options: { cors?: () => CorsPolicy } = {},
): HttpHandler {
  return async (request, context) => {
    let response: HttpResponseInit;
    try {
      const cors = options.cors?.();
      if (cors && request.method === 'OPTIONS') {
        response = cors.preflight(request);
      } else {
        cors?.assertAllowed(request);
        response = await handler(request, context);
      }
    } catch (error) {
      response = errorResponse(error, context);
    }
    await drainUnreadBody(request);
    try {
      return options.cors?.().decorate(request, response) ?? response;
    } catch {
      return response;
    }
  };
}

function errorResponse(error: unknown, context: InvocationContext): HttpResponseInit {
  if (error instanceof ApiError) return error.toResponse();
  if (error instanceof ConfigurationError) {
    context.error(`Configuration error: ${error.message}`);
    return new ApiError(500, 'configuration_error', error.message, {
      setting: error.setting,
    }).toResponse();
  }
  const detail =
    DurableHandoffError.isInstance(error) || error instanceof Error ? error.message : String(error);
  context.error(`Unhandled error in ${context.functionName}: ${detail}`);
  return new ApiError(
    500,
    'internal_error',
    `The request failed on the server (invocation ${context.invocationId}); see the function logs.`,
  ).toResponse();
}
