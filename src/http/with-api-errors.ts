import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { ConfigurationError, DurableHandoffError } from '../core/errors';
import { ApiError } from './http-error';

/**
 * Wraps an HTTP handler: an {@link ApiError} becomes its JSON error response; a configuration error a
 * 500 that names the setting to fix; anything else a 500 with a generic message (the details go to the
 * log, never to the client, and never with request headers, so tokens and keys are not logged).
 */
export function withApiErrors(
  handler: (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>,
): HttpHandler {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
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
  };
}
