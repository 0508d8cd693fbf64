/**
 * Exceptions the extension's orchestration context throws while the shim replays actions. They
 * fail the orchestration with "Orchestrator function 'X' failed: <message>".
 */

/** An `ArgumentException`/`InvalidOperationException` of the extension, with its .NET message. */
export class ExtensionApiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExtensionApiError';
  }
}

/** `ThrowIfFunctionDoesNotExist` for activities. */
export function unknownActivity(name: string, known: readonly string[]): ExtensionApiError {
  const info =
    known.length > 0
      ? `The following are the known activity functions: '${known.join("', '")}'.`
      : 'No activity functions are currently registered!';
  return new ExtensionApiError(
    `The function '${name}' doesn't exist, is disabled, or is not an activity function. Additional info: ${info}`,
  );
}

/** `IncrementActionsOrThrowException`. */
export function tooManyActions(max: number): ExtensionApiError {
  return new ExtensionApiError(
    `Maximum amount of orchestration actions (${max}) has been reached. This value can be configured in host.json file as MaxOrchestrationActions.`,
  );
}

/** `MessagePayloadDataConverter.Serialize` with the 16 KB custom status limit. */
export function customStatusTooLarge(sizeKb: number): ExtensionApiError {
  return new ExtensionApiError(
    `The UTF-16 size of the JSON-serialized payload must not exceed 16 KB. The current payload size is ${sizeKb.toLocaleString('en-US')} KB.`,
  );
}

/** An action the local host does not emulate (sub-orchestrations, entities, durable HTTP). */
export function unsupportedAction(actionType: number): ExtensionApiError {
  const names: Record<number, string> = {
    2: 'callSubOrchestrator',
    3: 'callSubOrchestratorWithRetry',
    7: 'callEntity',
    8: 'callHttp',
    9: 'signalEntity',
    10: 'signalEntity (scheduled)',
    13: 'lock (entities)',
    14: 'lock release (entities)',
  };
  return new ExtensionApiError(
    `The local host does not emulate ${names[actionType] ?? `action type ${actionType}`} (actionType ${actionType}). ` +
      'Supported: callActivity, callActivityWithRetry, createTimer, waitForExternalEvent, Task.all, Task.any, continueAsNew.',
  );
}
