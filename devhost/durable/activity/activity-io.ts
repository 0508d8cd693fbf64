/**
 * How activity inputs and results cross the extension (`TaskActivityShim`): the input DTFx stored
 * as a one-element JSON array is handed to the worker as a string (objects as their JSON text,
 * strings as the already JSON-quoted text durable-functions produced); the result becomes
 * `TaskCompleted.Result` JSON; a failure becomes `TaskFailed` with the extension's reason, or with
 * structured FailureDetails when the worker reported them (extension 3.19).
 */
import type { InvocationOutcome, RpcTypedData } from '../../contracts';
import type { FailureDetailsJson } from '../history/history-event';

/** The trigger data for an activity whose `TaskScheduled.Input` is `inputJson`. */
export function activityTriggerData(inputJson: string | null): RpcTypedData {
  let value: unknown = null;
  if (inputJson !== null) {
    try {
      const parsed = JSON.parse(inputJson) as unknown;
      value = Array.isArray(parsed) ? (parsed[0] as unknown) : parsed;
    } catch {
      value = inputJson;
    }
  }
  if (value === null || value === undefined) return {};
  // durable-functions JSON-quotes string inputs ("tokyo" -> "\"tokyo\""); the library parses them back.
  return { string: typeof value === 'string' ? value : JSON.stringify(value) };
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** `TaskCompleted.Result` for an activity's return value (the host serializes it as JSON). */
export function activityResultJson(returnValue: RpcTypedData | null | undefined): string {
  if (!returnValue) return 'null';
  if (typeof returnValue.string === 'string') return JSON.stringify(returnValue.string);
  if (typeof returnValue.json === 'string') return returnValue.json;
  if (typeof returnValue.int === 'number') return String(returnValue.int);
  if (typeof returnValue.double === 'number')
    return Number.isFinite(returnValue.double) ? String(returnValue.double) : 'null';
  // Duck-typed: the bytes come from the app's realm.
  if (ArrayBuffer.isView(returnValue.bytes)) return JSON.stringify(base64(returnValue.bytes));
  return 'null';
}

/** `TaskFailed` Reason and Details for a failed activity invocation. */
export function activityFailure(
  name: string,
  error: { message: string; stack?: string },
): { reason: string; details: string } {
  // The host reports "Result: Failure\nException: <message>\nStack: <stack>"; the extension keeps the
  // text between the labels (with its leading space) as the friendly message.
  const rpcMessage = `Result: Failure\nException: ${error.message}\nStack: ${error.stack ?? ''}`;
  const friendly = ` ${error.message}`;
  const details = JSON.stringify({
    $type: 'System.Exception, System.Private.CoreLib',
    ClassName: 'System.Exception',
    Message: friendly,
    Data: null,
    InnerException: {
      $type: 'Microsoft.Azure.WebJobs.Script.Workers.Rpc.RpcException, Microsoft.Azure.WebJobs.Script',
      ClassName: 'Microsoft.Azure.WebJobs.Script.Workers.Rpc.RpcException',
      Message: rpcMessage,
      RemoteMessage: error.message,
      RemoteStackTrace: error.stack ?? null,
      IsUserException: false,
    },
    HelpURL: null,
    StackTraceString: null,
    RemoteStackTraceString: null,
    RemoteStackIndex: 0,
    ExceptionMethod: null,
    HResult: -2146233088,
    Source: null,
    WatsonBuckets: null,
  });
  return { reason: `Activity function '${name}' failed: ${friendly}`, details };
}

const STRUCTURED_PREFIX = 'ActivityMiddleware.StructuredActivityFailure: ';
const TASK_FAILURE_FIELDS: Record<string, string> = {
  errorType: 'errorType',
  error_type: 'errorType',
  errorMessage: 'errorMessage',
  error_message: 'errorMessage',
  stackTrace: 'stackTrace',
  stack_trace: 'stackTrace',
  innerFailure: 'innerFailure',
  inner_failure: 'innerFailure',
  isNonRetriable: 'isNonRetriable',
  is_non_retriable: 'isNonRetriable',
  properties: 'properties',
};

/** A protobuf `TaskFailureDetails` in its JSON form, as DTFx `FailureDetails`; undefined if it is not one. */
function failureDetailsOf(value: unknown): FailureDetailsJson | null | undefined {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return undefined;
  const fields: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    const name = TASK_FAILURE_FIELDS[key];
    // Protobuf's JSON parser refuses unknown fields; the extension then keeps the legacy shape.
    if (name === undefined) return undefined;
    fields[name] = field;
  }
  const text = (v: unknown): v is string | undefined | null =>
    v === undefined || v === null || typeof v === 'string';
  const { errorType, errorMessage, stackTrace, innerFailure, isNonRetriable, properties } = fields;
  if (!text(errorType) || !text(errorMessage) || !text(stackTrace)) return undefined;
  if (isNonRetriable !== undefined && isNonRetriable !== null && typeof isNonRetriable !== 'boolean')
    return undefined;
  if (
    properties !== undefined &&
    properties !== null &&
    (typeof properties !== 'object' || Array.isArray(properties))
  )
    return undefined;
  const inner = innerFailure === undefined ? null : failureDetailsOf(innerFailure);
  if (inner === undefined) return undefined;
  const props = (properties ?? {}) as Record<string, unknown>;
  return {
    ErrorType: errorType ?? '',
    ErrorMessage: errorMessage ?? '',
    StackTrace: stackTrace ?? null,
    InnerFailure: inner,
    IsNonRetriable: isNonRetriable ?? false,
    Properties: Object.keys(props).length > 0 ? props : null,
  };
}

/**
 * The structured failure a worker reported in its exception message (durable-functions does so when
 * the app registered an exception properties provider): the message, after an optional
 * `ActivityMiddleware.StructuredActivityFailure: ` prefix, starts with a `TaskFailureDetails` JSON
 * object on its first line. The extension (3.19) then fails the task with these FailureDetails.
 */
export function structuredFailureDetails(message: string): FailureDetailsJson | undefined {
  const start = message.startsWith(STRUCTURED_PREFIX) ? STRUCTURED_PREFIX.length : 0;
  if (message[start] !== '{') return undefined;
  const end = message.indexOf('\n', start);
  try {
    return failureDetailsOf(JSON.parse(message.slice(start, end < 0 ? undefined : end).trim())) ?? undefined;
  } catch {
    return undefined;
  }
}

/** A failed activity as the extension records it. */
export interface ActivityFailure {
  reason: string;
  details: string | null;
  failureDetails: FailureDetailsJson | null;
}

/** Maps an invocation outcome to a completion or a failure. */
export function activityOutcome(
  name: string,
  outcome: InvocationOutcome,
): { ok: true; result: string } | ({ ok: false } & ActivityFailure) {
  if (outcome.ok) return { ok: true, result: activityResultJson(outcome.returnValue) };
  const structured = structuredFailureDetails(outcome.error.message);
  if (structured) {
    return {
      ok: false,
      reason: `Activity function '${name}' failed with an unhandled exception.`,
      details: null,
      failureDetails: structured,
    };
  }
  return { ok: false, ...activityFailure(name, outcome.error), failureDetails: null };
}
