/**
 * Durable features the local host does not emulate but that an orchestrator must be able to catch
 * when they fail: sub-orchestrations and durable HTTP (`callHttp`). Each is scheduled as a task with
 * a name of its own, and the engine fails that task at once instead of running an activity, so the
 * orchestrator's try/catch (and `callSubOrchestratorWithRetry`'s retries) see an ordinary task failure.
 */
import { ActionType, type OrchestratorAction } from '../orchestrator-state';

/** The extension schedules durable HTTP requests as this built-in activity. */
export const HTTP_ACTIVITY_NAME = 'BuiltIn::HttpActivity';
const SUB_ORCHESTRATOR_PREFIX = 'DevHost::SubOrchestrator::';

/** The task name a sub-orchestration or durable HTTP action is scheduled under. */
export function notEmulatedTaskName(action: OrchestratorAction): string {
  if (action.actionType === ActionType.CallHttp) return HTTP_ACTIVITY_NAME;
  const name = 'functionName' in action && typeof action.functionName === 'string' ? action.functionName : '';
  return `${SUB_ORCHESTRATOR_PREFIX}${name}`;
}

/** Why a task of that name fails at once, or undefined for an ordinary activity. */
export function notEmulatedTaskMessage(taskName: string): string | undefined {
  if (taskName === HTTP_ACTIVITY_NAME) {
    return (
      'The local host does not emulate durable HTTP (callHttp): the request was not sent. ' +
      'Make the call from an activity, or run the app on Azure Functions.'
    );
  }
  if (taskName.startsWith(SUB_ORCHESTRATOR_PREFIX)) {
    const name = taskName.slice(SUB_ORCHESTRATOR_PREFIX.length);
    return (
      `The local host does not emulate sub-orchestrations: '${name}' was not started. ` +
      'Call its work as activities, or run the app on Azure Functions.'
    );
  }
  return undefined;
}
