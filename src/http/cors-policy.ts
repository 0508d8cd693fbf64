import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { ApiError } from './http-error';

/** What a page on an allowed origin may send: the run token, JSON bodies, the SSE resume position. */
const ALLOWED_HEADERS = 'authorization, content-type, last-event-id';
const ALLOWED_METHODS = 'GET, POST';
/** What such a page may read of an answer besides the simple headers. */
const EXPOSED_HEADERS = 'location, retry-after';
/** Browsers cache a preflight answer this long (Chromium caps it at 2 hours). */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * The API's CORS policy, explicit: pages of the app's own origin (the chat page) may call it, and
 * so may pages of the origins listed in `DURABLE_HANDOFF_CORS_ORIGINS` (a chat widget on another
 * site); every other origin is refused (403 `origin_not_allowed`), preflight or not. No cookies are
 * involved (run tokens travel in the Authorization header), so credentials are never allowed.
 *
 * "Same origin" means the request's `Origin` names the host the request was sent to (its `Host`,
 * which a browser cannot set) or the configured public origin (`DURABLE_HANDOFF_PUBLIC_URL`, for a
 * proxy that rewrites `Host`). Keep the platform's own CORS setting empty: when it lists origins,
 * the platform answers preflights itself and this policy never sees them.
 */
export class CorsPolicy {
  readonly #allowed: ReadonlySet<string>;
  readonly #publicOrigin: string;

  constructor(allowedOrigins: readonly string[], publicOrigin = '') {
    this.#allowed = new Set(allowedOrigins);
    this.#publicOrigin = publicOrigin;
  }

  /** The answer to an `OPTIONS` request: a preflight is allowed (204 with the CORS headers) or refused (403). */
  preflight(request: HttpRequest): HttpResponseInit {
    const origin = request.headers.get('origin');
    if (origin === null) return { status: 204, headers: { allow: `${ALLOWED_METHODS}, OPTIONS` } };
    if (!this.#permits(request, origin)) return refusal(origin).toResponse();
    return {
      status: 204,
      headers: {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': ALLOWED_METHODS,
        'access-control-allow-headers': ALLOWED_HEADERS,
        'access-control-max-age': String(PREFLIGHT_MAX_AGE_SECONDS),
        vary: 'Origin',
      },
    };
  }

  /** Throws 403 `origin_not_allowed` for a request sent by a page of an origin the policy does not allow. */
  assertAllowed(request: HttpRequest): void {
    const origin = request.headers.get('origin');
    if (origin !== null && !this.#permits(request, origin)) throw refusal(origin);
  }

  /** `response` with the CORS headers a page of the request's origin needs to read it. */
  decorate(request: HttpRequest, response: HttpResponseInit): HttpResponseInit {
    const origin = request.headers.get('origin');
    if (origin === null || !this.#allowed.has(origin)) return response;
    return {
      ...response,
      headers: {
        ...(response.headers as Record<string, string> | undefined),
        'access-control-allow-origin': origin,
        'access-control-expose-headers': EXPOSED_HEADERS,
        vary: 'Origin',
      },
    };
  }

  #permits(request: HttpRequest, origin: string): boolean {
    if (this.#allowed.has(origin)) return true;
    if (origin === this.#publicOrigin) return true;
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      return false; // `null` (sandboxed frames, file:) and anything else that is not an origin
    }
    return host === request.headers.get('host') || host === new URL(request.url).host;
  }
}

function refusal(origin: string): ApiError {
  return new ApiError(
    403,
    'origin_not_allowed',
    `Pages of ${JSON.stringify(origin.slice(0, 100))} may not call this API. The app's owner can allow ` +
      'that origin in DURABLE_HANDOFF_CORS_ORIGINS.',
  );
}
