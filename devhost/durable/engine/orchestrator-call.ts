/**
 * Invokes an orchestrator function with an episode's payload, through the worker.
 */
import type { FunctionInvoker } from '../../contracts';
import type { OrchestrationPayload } from '../replay/orchestration-payload';
import { orchestratorResultOf, type OrchestratorResult } from '../replay/orchestrator-result';

/** The extension's message for a start or episode naming no registered orchestrator. */
export function unknownOrchestratorMessage(name: string, invoker: FunctionInvoker): string {
  const known = invoker
    .list()
    .filter((f) => f.triggerType === 'orchestrationTrigger')
    .map((f) => f.name);
  const info =
    known.length > 0
      ? `The following are the known orchestrator functions: '${known.join("', '")}'.`
      : 'No orchestrator functions are currently registered!';
  return `The function '${name}' doesn't exist, is disabled, or is not an orchestrator function. Additional info: ${info}`;
}

/** The registered orchestrator named `name` (case-insensitive, as function names are). */
export function findOrchestrator(invoker: FunctionInvoker, name: string) {
  const lower = name.toLowerCase();
  return invoker
    .list()
    .find((f) => f.triggerType === 'orchestrationTrigger' && f.name.toLowerCase() === lower);
}

/** Runs the orchestrator over `payload` and interprets what it returned. */
export function callOrchestrator(
  invoker: FunctionInvoker,
  name: string,
  payload: OrchestrationPayload,
): Promise<OrchestratorResult> {
  return callOrchestratorWithJson(invoker, name, JSON.stringify(payload));
}

/** Runs the orchestrator over a payload given as its JSON text (`orchestrationPayloadJson`). */
export async function callOrchestratorWithJson(
  invoker: FunctionInvoker,
  name: string,
  payloadJson: string,
): Promise<OrchestratorResult> {
  const fn = findOrchestrator(invoker, name);
  if (!fn) return { kind: 'failed', message: unknownOrchestratorMessage(name, invoker) };
  try {
    const outcome = await invoker.invoke(fn.name, [
      { name: fn.triggerBindingName, data: { string: payloadJson } },
    ]);
    return orchestratorResultOf(outcome);
  } catch (error) {
    const message =
      typeof (error as Error | undefined)?.message === 'string' ? (error as Error).message : String(error);
    return { kind: 'failed', message };
  }
}

/** Registered activity names, in registration order. */
export function activityNames(invoker: FunctionInvoker): string[] {
  return invoker
    .list()
    .filter((f) => f.triggerType === 'activityTrigger')
    .map((f) => f.name);
}
