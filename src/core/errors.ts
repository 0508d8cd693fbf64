/**
 * Errors of durable-handoff.
 *
 * One base class, subclasses named by who is at fault, each with a stable `code`. Errors cross
 * activity boundaries as JSON (Durable Functions serializes activity results and failures), so
 * `instanceof` does not survive: recognise an error with `DurableHandoffError.isInstance(value)`
 * or by its `code`, and rebuild one with {@link errorFromJSON}.
 */

const MARKER = 'durable-handoff.error';
const MARKER_SYMBOL: unique symbol = Symbol.for(MARKER) as typeof MARKER_SYMBOL;

/** Stable error codes. Adding a code is fine; renaming one is a breaking change. */
export type ErrorCode =
  // a workflow definition is wrong (thrown by agent(), tool(), HandoffBuilder.build())
  | 'invalid_definition'
  // configuration (app settings) is missing or contradictory
  | 'invalid_configuration'
  // input to a run is wrong (unknown workflow, bad message)
  | 'invalid_input'
  // the model did something the workflow cannot follow (bad tool JSON, unknown tool, loops)
  | 'model_behavior'
  // calling the model failed; see ModelCallErrorCode for the kind
  | ModelCallErrorCode
  // an agent-owned tool threw
  | 'tool_failed'
  // the HTTP API answered with an error (reported by the TypeScript client)
  | HttpApiErrorCode
  // anything else, unexpected
  | 'internal';

/** Kinds of failed model calls. The first five are retryable, the rest are permanent. */
export type ModelCallErrorCode =
  | 'rate_limited'
  | 'server_error'
  | 'timeout'
  | 'connection_error'
  | 'conflict'
  | 'bad_request'
  | 'authentication'
  | 'permission_denied'
  | 'not_found'
  | 'content_filter'
  | 'context_length_exceeded';

/**
 * Codes of the HTTP API's error answers (`{ "error": { "code", "message" } }`): the one list the
 * server answers with and the client reads.
 */
export const API_ERROR_CODES = [
  'invalid_json',
  'invalid_request',
  'payload_too_large',
  'unsupported_media_type',
  'unauthorized',
  'token_expired',
  'forbidden',
  'token_revoked',
  'origin_not_allowed',
  'workflow_not_found',
  'run_not_found',
  'run_exists',
  'run_starting',
  'not_awaiting_input',
  'stale_request',
  'approval_expected',
  'reply_expected',
  'run_finished',
  'reply_superseded',
  'rate_limited',
  'not_acceptable',
  'asset_not_found',
  'configuration_error',
  'internal_error',
] as const;
/** See {@link API_ERROR_CODES}. */
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/**
 * The codes of {@link API_ERROR_CODES} plus three the TypeScript client adds: `http_error` for an
 * error answer without a known code (a proxy's page, the host's empty 404 for an unknown route),
 * `invalid_response` for an answer it cannot read, and `connection_failed` when no answer arrived.
 */
export const HTTP_API_ERROR_CODES = [
  ...API_ERROR_CODES,
  'http_error',
  'invalid_response',
  'connection_failed',
] as const;
/** See {@link HTTP_API_ERROR_CODES}. */
export type HttpApiErrorCode = (typeof HTTP_API_ERROR_CODES)[number];

/** The JSON form of an error: what crosses activity and HTTP boundaries. */
export interface SerializedError {
  marker: typeof MARKER;
  name: string;
  code: ErrorCode;
  message: string;
  isRetryable: boolean;
  statusCode?: number;
  retryAfterMs?: number;
}

/** Base class of every error this library throws on purpose. */
export class DurableHandoffError extends Error {
  readonly [MARKER_SYMBOL] = true;
  readonly code: ErrorCode;
  readonly isRetryable: boolean;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; isRetryable?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DurableHandoffError';
    this.code = code;
    this.isRetryable = options?.isRetryable ?? false;
  }

  /** True for errors of this library, including ones rebuilt from JSON; unlike `instanceof`, works across realms and copies of the package. */
  static isInstance(value: unknown): value is DurableHandoffError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[MARKER_SYMBOL] === true
    );
  }

  /** The JSON form; secrets never travel because messages never contain them. */
  toJSON(): SerializedError {
    return {
      marker: MARKER,
      name: this.name,
      code: this.code,
      message: this.message,
      isRetryable: this.isRetryable,
    };
  }
}

/** A workflow definition is invalid. Thrown at definition time (`agent()`, `tool()`, `build()`), never at first use. */
export class WorkflowDefinitionError extends DurableHandoffError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('invalid_definition', message, options);
    this.name = 'WorkflowDefinitionError';
  }
}

/** An app setting is missing or contradictory; the message names the setting to fix. */
export class ConfigurationError extends DurableHandoffError {
  /** The environment variable or option at fault. */
  readonly setting: string;
  constructor(setting: string, message: string) {
    super('invalid_configuration', message);
    this.name = 'ConfigurationError';
    this.setting = setting;
  }
}

/** The input to a run is invalid: unknown workflow, empty message, bad mode. */
export class WorkflowInputError extends DurableHandoffError {
  constructor(message: string) {
    super('invalid_input', message);
    this.name = 'WorkflowInputError';
  }
}

/** The model produced something the workflow cannot follow (e.g. a hallucinated tool, repeatedly). */
export class ModelBehaviorError extends DurableHandoffError {
  constructor(message: string) {
    super('model_behavior', message);
    this.name = 'ModelBehaviorError';
  }
}

/** An agent-owned tool failed in a way that ends the turn. */
export class ToolExecutionError extends DurableHandoffError {
  constructor(message: string, cause?: unknown) {
    super('tool_failed', message, { cause });
    this.name = 'ToolExecutionError';
  }
}

const RETRYABLE_MODEL_CODES: ReadonlySet<ModelCallErrorCode> = new Set([
  'rate_limited',
  'server_error',
  'timeout',
  'connection_error',
  'conflict',
]);

/** True for model-call codes that a retry may fix (408, 409, 429, 5xx, timeouts, resets). */
export function isRetryableModelCode(code: ModelCallErrorCode): boolean {
  return RETRYABLE_MODEL_CODES.has(code);
}

/** Calling the model failed. `isRetryable` follows from `code`; `retryAfterMs` carries a server's `retry-after`. */
export class ModelCallError extends DurableHandoffError {
  readonly statusCode: number | undefined;
  readonly retryAfterMs: number | undefined;
  declare readonly code: ModelCallErrorCode;

  constructor(
    code: ModelCallErrorCode,
    message: string,
    options?: { statusCode?: number; retryAfterMs?: number; cause?: unknown },
  ) {
    super(code, message, { cause: options?.cause, isRetryable: isRetryableModelCode(code) });
    this.name = 'ModelCallError';
    this.statusCode = options?.statusCode;
    this.retryAfterMs = options?.retryAfterMs;
  }

  override toJSON(): SerializedError {
    const json = super.toJSON();
    if (this.statusCode !== undefined) json.statusCode = this.statusCode;
    if (this.retryAfterMs !== undefined) json.retryAfterMs = this.retryAfterMs;
    return json;
  }
}

const MODEL_CALL_CODES: ReadonlySet<string> = new Set<ModelCallErrorCode>([
  ...RETRYABLE_MODEL_CODES,
  'bad_request',
  'authentication',
  'permission_denied',
  'not_found',
  'content_filter',
  'context_length_exceeded',
]);

/** True if `value` is the JSON form of a {@link DurableHandoffError}. */
export function isSerializedError(value: unknown): value is SerializedError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<SerializedError>;
  return v.marker === MARKER && typeof v.code === 'string' && typeof v.message === 'string';
}

/** Rebuilds a typed error from its JSON form, so `isRetryable`, `code` and `statusCode` survive a boundary. */
export function errorFromJSON(json: SerializedError): DurableHandoffError {
  let error: DurableHandoffError;
  if (MODEL_CALL_CODES.has(json.code)) {
    error = new ModelCallError(json.code as ModelCallErrorCode, json.message, {
      ...(json.statusCode !== undefined ? { statusCode: json.statusCode } : {}),
      ...(json.retryAfterMs !== undefined ? { retryAfterMs: json.retryAfterMs } : {}),
    });
  } else {
    switch (json.code) {
      case 'invalid_definition':
        error = new WorkflowDefinitionError(json.message);
        break;
      case 'invalid_input':
        error = new WorkflowInputError(json.message);
        break;
      case 'model_behavior':
        error = new ModelBehaviorError(json.message);
        break;
      case 'tool_failed':
        error = new ToolExecutionError(json.message);
        break;
      default:
        error = new DurableHandoffError(json.code, json.message, { isRetryable: json.isRetryable });
    }
  }
  return error;
}
