import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { HandoffServices } from '../app/handoff-services';
import { withApiErrors } from '../http/with-api-errors';
import { withRequestSpan } from '../telemetry/api-request-span';

/**
 * The handler of a run route (`route`: its template under the app's route prefix) as every run
 * route is served: in its request span, with API errors as JSON error responses and the app's CORS
 * policy (see `withRequestSpan` and `withApiErrors`).
 */
export function apiRoute(
  services: HandoffServices,
  route: string,
  handler: (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>,
): HttpHandler {
  return withRequestSpan(
    services.telemetry,
    services.routePrefix,
    route,
    withApiErrors(handler, { cors: services.cors }),
  );
}
