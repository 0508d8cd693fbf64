/**
 * Responses in the shapes the extension's `HttpApiHandler` produces (ASP.NET Web API JSON bodies
 * and `HttpError` objects for errors).
 */
import type { HostHttpResponse } from '../../contracts';

const JSON_TYPE = 'application/json; charset=utf-8';

/** A JSON response. */
export function jsonReply(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): HostHttpResponse {
  return { status, headers: { 'content-type': JSON_TYPE, ...headers }, body: JSON.stringify(body) };
}

/** A response without a body. */
export function emptyReply(status: number, headers: Record<string, string> = {}): HostHttpResponse {
  return { status, headers };
}

/** `CreateErrorResponse(status, message, exception)`: Web API's `HttpError` JSON. */
export function errorReply(
  status: number,
  message: string,
  exception?: { message: string; type: string },
): HostHttpResponse {
  return jsonReply(
    status,
    exception
      ? {
          Message: message,
          ExceptionMessage: exception.message,
          ExceptionType: exception.type,
          StackTrace: null,
        }
      : { Message: message },
  );
}

/** The 400 the extension returns for an `ArgumentException`. */
export function argumentError(message: string): HostHttpResponse {
  return errorReply(400, 'One or more of the arguments submitted is incorrect', {
    message,
    type: 'System.ArgumentException',
  });
}

/** The 500 the extension returns for any other exception. */
export function genericError(message: string, type = 'System.Exception'): HostHttpResponse {
  return errorReply(500, 'Something went wrong while processing your request', { message, type });
}
