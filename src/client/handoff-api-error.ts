import {
  DurableHandoffError,
  HTTP_API_ERROR_CODES,
  type HttpApiErrorCode,
  type SerializedError,
} from '../core/errors';
import { ApiErrorBodySchema } from './api-schemas';

const HANDOFF_API_ERROR = Symbol.for('durable-handoff.HandoffApiError');

const KNOWN_CODES: ReadonlySet<string> = new Set(HTTP_API_ERROR_CODES);

/** Options of {@link HandoffApiError}. */
export interface HandoffApiErrorOptions {
  /** The HTTP status; 0 when no answer arrived (`connection_failed`). */
  status: number;
  /** The request, e.g. `POST http://localhost:7071/api/workflows/customer_support/run`. */
  request: string;
  /** The other fields of the API's error object (e.g. `state`, `pendingRequestId`). */
  details?: Readonly<Record<string, unknown>>;
  cause?: unknown;
}

/**
 * A call to the durable-handoff HTTP API failed. `status`, `code` and `message` come from the API's
 * error body (`{ "error": { "code", "message" } }`); the client adds `http_error` (an error answer
 * without a known code), `invalid_response` (an answer it cannot read) and `connection_failed`
 * (no answer at all, `status` 0). `isRetryable` is true for 408, 429, 5xx and connection failures.
 *
 * @example
 * ```ts
 * try {
 *   await client.respond(run, 'Order #12345');
 * } catch (error) {
 *   if (HandoffApiError.isInstance(error) && error.code === 'not_awaiting_input') {
 *     // wait for the next request_info event, then reply
 *   }
 * }
 * ```
 */
export class HandoffApiError extends DurableHandoffError {
  readonly [HANDOFF_API_ERROR] = true;
  declare readonly code: HttpApiErrorCode;
  readonly status: number;
  readonly request: string;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: HttpApiErrorCode, message: string, options: HandoffApiErrorOptions) {
    super(code, message, {
      cause: options.cause,
      isRetryable: isRetryableStatus(options.status, code),
    });
    this.name = 'HandoffApiError';
    this.status = options.status;
    this.request = options.request;
    this.details = options.details ?? {};
  }

  /** True for a HandoffApiError from any copy of this package; works where `instanceof` does not. */
  static override isInstance(value: unknown): value is HandoffApiError {
    return (
      DurableHandoffError.isInstance(value) &&
      (value as unknown as Record<symbol, unknown>)[HANDOFF_API_ERROR] === true
    );
  }

  override toJSON(): SerializedError {
    return { ...super.toJSON(), statusCode: this.status };
  }
}

function isRetryableStatus(status: number, code: HttpApiErrorCode): boolean {
  if (code === 'connection_failed') return true;
  return status === 408 || status === 429 || status >= 500;
}

/** The error an unsuccessful answer stands for, built from the API's error body when it has one. */
export async function errorFromResponse(response: Response, request: string): Promise<HandoffApiError> {
  const text = await response.text().catch(() => '');
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = ApiErrorBodySchema.safeParse(json);
  const status = response.status;
  if (parsed.success && KNOWN_CODES.has(parsed.data.error.code)) {
    const { code, message, ...details } = parsed.data.error;
    return new HandoffApiError(code as HttpApiErrorCode, message, { status, request, details });
  }
  const answer = `${status}${response.statusText ? ` ${response.statusText}` : ''}`;
  if (parsed.success) {
    const { code, message, ...details } = parsed.data.error;
    return new HandoffApiError('http_error', `${request} answered ${answer} (${code}): ${message}`, {
      status,
      request,
      details: { ...details, code },
    });
  }
  if (text === '' && status === 401) {
    return new HandoffApiError(
      'unauthorized',
      `${request} answered 401 with no body: the host wants a function key. Pass functionKey to HandoffClient.`,
      { status, request },
    );
  }
  const excerpt = text.trim().slice(0, 200);
  return new HandoffApiError(
    'http_error',
    `${request} answered ${answer}${excerpt === '' ? ' with no body' : `: ${excerpt}`}. Check baseUrl and routePrefix.`,
    { status, request },
  );
}
