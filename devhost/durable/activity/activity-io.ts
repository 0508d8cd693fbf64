/**
 * How activity inputs and results cross the extension (`TaskActivityShim`): the input DTFx stored
 * as a one-element JSON array is handed to the worker as a string (objects as their JSON text,
 * strings as the already JSON-quoted text durable-functions produced); the result becomes
 * `TaskCompleted.Result` JSON; a failure becomes `TaskFailed` with the extension's reason.
 */
import type { InvocationOutcome, RpcTypedData } from '../../contracts';

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

/** Maps an invocation outcome to a completion or a failure. */
export function activityOutcome(
  name: string,
  outcome: InvocationOutcome,
): { ok: true; result: string } | { ok: false; reason: string; details: string } {
  return outcome.ok
    ? { ok: true, result: activityResultJson(outcome.returnValue) }
    : { ok: false, ...activityFailure(name, outcome.error) };
}
