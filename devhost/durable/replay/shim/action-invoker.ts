/**
 * The extension's `InvokeAPIFromAction`: turns each JS action into calls on the simulated
 * orchestration context, with the extension's own semantics for retries (DTFx `RetryInterceptor`,
 * including the final "dummy" timer), long timers (split into 3-day pieces) and events.
 */
import { addMs, diffMs, toTicksIso } from '../../time/dotnet-time';
import {
  ActionType,
  RetryOptionsJsonSchema,
  type OrchestratorAction,
  type RetryOptionsJson,
} from '../orchestrator-state';
import { notEmulatedTaskName } from './not-emulated-tasks';
import { LONG_RUNNING_TIMER_INTERVAL_MS, MAXIMUM_SHORT_TIMER_MS, MAX_DELAY_MESSAGE } from '../timer-limits';
import { ExtensionApiError, tooManyActions, unknownActivity, unsupportedAction } from './extension-errors';
import type { ExternalEventBroker } from './external-events';
import type { SimOrchestrationContext } from './orchestration-context';
import { SimTask } from './sim-task';

/** What the invoker needs from the replay. */
export interface ActionInvokerDeps {
  ctx: SimOrchestrationContext;
  events: ExternalEventBroker;
  /** Registered activity names, in registration order. */
  knownActivities: readonly string[];
  maxOrchestrationActions: number;
  /** Called for a ContinueAsNew action with the next execution's input (JSON text). */
  onContinueAsNew(input: string | null): void;
}

/** DTFx serializes activity parameters as a one-element JSON array. */
export function activityInputJson(input: unknown): string {
  return JSON.stringify([input === undefined ? null : input]);
}

const DEFAULT_MAX_RETRY_INTERVAL_MS = MAXIMUM_SHORT_TIMER_MS;

function validateDelay(ms: number, parameter: string): void {
  if (ms > MAXIMUM_SHORT_TIMER_MS) {
    throw new ExtensionApiError(`${MAX_DELAY_MESSAGE} (Parameter '${parameter}')`);
  }
}

/** Creates the invoker for one replay. */
export function createActionInvoker(deps: ActionInvokerDeps): (action: OrchestratorAction) => SimTask {
  const { ctx, events } = deps;
  let actionCount = 0;

  const countAction = (): void => {
    if (actionCount >= deps.maxOrchestrationActions) throw tooManyActions(deps.maxOrchestrationActions);
    actionCount += 1;
  };

  const activityName = (name: string): string => {
    const known = deps.knownActivities.find((n) => n.toLowerCase() === name.toLowerCase());
    if (known === undefined) throw unknownActivity(name, deps.knownActivities);
    return name;
  };

  const callActivity = (name: string, input: unknown): SimTask => {
    activityName(name);
    countAction();
    return ctx.scheduleTask(name, activityInputJson(input));
  };

  const callActivityWithRetry = (name: string, options: RetryOptionsJson, input: unknown): SimTask => {
    const maxInterval = options.maxRetryIntervalInMilliseconds ?? DEFAULT_MAX_RETRY_INTERVAL_MS;
    validateDelay(maxInterval, 'MaxRetryInterval');
    validateDelay(options.firstRetryIntervalInMilliseconds, 'FirstRetryInterval');
    activityName(name);
    return withRetry(name, options, input);
  };

  const withRetry = (name: string, options: RetryOptionsJson, input: unknown): SimTask => {
    const maxInterval = options.maxRetryIntervalInMilliseconds ?? DEFAULT_MAX_RETRY_INTERVAL_MS;
    countAction();
    const result = new SimTask();
    const firstAttempt = ctx.currentTime;
    const coefficient = options.backoffCoefficient ?? 1;
    const expiresAt =
      options.retryTimeoutInMilliseconds === undefined
        ? undefined
        : addMs(firstAttempt, options.retryTimeoutInMilliseconds);
    const nextDelay = (attempt: number): number => {
      if (expiresAt !== undefined && diffMs(ctx.currentTime, expiresAt) >= 0) return 0;
      const delay = options.firstRetryIntervalInMilliseconds * Math.pow(coefficient, attempt);
      return Math.round(delay < maxInterval ? delay : maxInterval);
    };
    const attempt = (retryCount: number): void => {
      const task = ctx.scheduleTask(name, activityInputJson(input));
      task.then(() => {
        if (task.state === 'completed') return result.settle('completed');
        if (retryCount + 1 >= options.maxNumberOfAttempts) {
          // DTFx keeps an immediate "dummy timer for back-compat" before rethrowing.
          return ctx.createTimer(ctx.currentTime).then(() => result.settle('failed'));
        }
        const delay = nextDelay(retryCount);
        if (delay === 0) return result.settle('failed');
        ctx.createTimer(addMs(ctx.currentTime, delay)).then(() => attempt(retryCount + 1));
      });
    };
    attempt(0);
    return result;
  };

  const createTimer = (fireAtIso: string, canceled: boolean): SimTask => {
    const fireAt = toTicksIso(fireAtIso);
    if (diffMs(fireAt, ctx.currentTime) <= MAXIMUM_SHORT_TIMER_MS) {
      countAction();
      return ctx.createTimer(fireAt, canceled);
    }
    // A long timer: pieces of LongRunningTimerIntervalLength until the final fire time.
    const result = new SimTask();
    const piece = (pieceFireAt: string): void => {
      try {
        countAction();
      } catch (error) {
        // In .NET the exception faults the timer's own task; the shim's await swallows it.
        if (error instanceof ExtensionApiError) return result.settle('failed');
        throw error;
      }
      const timer = ctx.createTimer(pieceFireAt, canceled);
      timer.then(() => {
        if (timer.state === 'canceled') return result.settle('canceled');
        const remaining = diffMs(fireAt, ctx.currentTime);
        if (remaining <= 0) return result.settle('completed');
        piece(addMs(ctx.currentTime, Math.min(remaining, LONG_RUNNING_TIMER_INTERVAL_MS)));
      });
    };
    piece(addMs(ctx.currentTime, LONG_RUNNING_TIMER_INTERVAL_MS));
    return result;
  };

  const invoke = (action: OrchestratorAction): SimTask => {
    switch (action.actionType) {
      case ActionType.CallActivity:
        return callActivity(action.functionName, action.input);
      case ActionType.CallActivityWithRetry:
        return callActivityWithRetry(action.functionName, action.retryOptions, action.input);
      case ActionType.CreateTimer:
        return createTimer(action.fireAt, action.isCanceled);
      case ActionType.WaitForExternalEvent:
        return events.wait(action.externalEventName);
      case ActionType.ContinueAsNew: {
        deps.onContinueAsNew(action.input === undefined ? null : JSON.stringify(action.input));
        const done = new SimTask();
        done.settle('completed');
        return done;
      }
      case ActionType.WhenAll:
        return SimTask.whenAll(action.compoundActions.map(invoke));
      case ActionType.WhenAny:
        return SimTask.whenAny(action.compoundActions.map(invoke));
      case ActionType.CallSubOrchestrator:
      case ActionType.CallHttp: {
        // Not emulated: scheduled as a task the engine fails at once (see notEmulatedTaskMessage),
        // so the orchestrator's own try/catch sees the failure as it would see a real one.
        countAction();
        return ctx.scheduleTask(notEmulatedTaskName(action), activityInputJson(null));
      }
      case ActionType.CallSubOrchestratorWithRetry: {
        const options = RetryOptionsJsonSchema.safeParse(action.retryOptions);
        if (!options.success) throw unsupportedAction(action.actionType);
        validateDelay(
          options.data.maxRetryIntervalInMilliseconds ?? DEFAULT_MAX_RETRY_INTERVAL_MS,
          'MaxRetryInterval',
        );
        validateDelay(options.data.firstRetryIntervalInMilliseconds, 'FirstRetryInterval');
        return withRetry(notEmulatedTaskName(action), options.data, null);
      }
      default:
        throw unsupportedAction(action.actionType);
    }
  };
  return invoke;
}
