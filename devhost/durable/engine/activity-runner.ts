/**
 * Runs one activity through the worker and stores its completion as an inbox message (with a
 * deterministic id, so a re-run after a crash cannot complete the task twice).
 */
import type { Clock, FunctionInvoker, InvocationOutcome } from '../../contracts';
import type { LogSink } from '../../log';
import { activityOutcome, activityTriggerData } from '../activity/activity-io';
import { notEmulatedTaskMessage } from '../replay/shim/not-emulated-tasks';
import type { InstanceStore } from '../store/instance-store';
import { nextTimestamp } from '../time/dotnet-time';
import { taskCompletedMessage, taskFailedMessage } from './inbox-messages';
import { retryWrite } from './retry-write';
import type { TaskWork } from './episode-runner';

/** What running an activity needs. */
export interface ActivityRunnerDeps {
  store: InstanceStore;
  invoker: FunctionInvoker;
  clock: Clock;
  log: LogSink;
  /** False once the engine stopped: results are then not written. */
  isRunning(): boolean;
  /** A completion was stored for the instance. */
  completed(instanceId: string): void;
}

function errorOf(error: unknown): { message: string; stack?: string } {
  // Duck-typed: errors may come from the app's realm.
  if (typeof error === 'object' && error !== null && typeof (error as Error).message === 'string') {
    const { message, stack } = error as Error;
    return typeof stack === 'string' ? { message, stack } : { message };
  }
  return { message: String(error) };
}

async function invokeActivity(
  invoker: FunctionInvoker,
  instanceId: string,
  task: TaskWork,
): Promise<InvocationOutcome> {
  const lower = task.name.toLowerCase();
  const fn = invoker
    .list()
    .find((f) => f.triggerType === 'activityTrigger' && f.name.toLowerCase() === lower);
  if (!fn) {
    const notEmulated = notEmulatedTaskMessage(task.name);
    return {
      ok: false,
      error: { message: notEmulated ?? `The activity function '${task.name}' is not registered.` },
    };
  }
  try {
    return await invoker.invoke(
      fn.name,
      [{ name: fn.triggerBindingName, data: activityTriggerData(task.input) }],
      {
        triggerMetadata: { instanceId: { string: instanceId } },
      },
    );
  } catch (error) {
    return { ok: false, error: errorOf(error) };
  }
}

/** Runs `task` of an instance's execution and stores the result. */
export async function runActivity(
  deps: ActivityRunnerDeps,
  instanceId: string,
  executionId: string,
  task: TaskWork,
): Promise<void> {
  const outcome = await invokeActivity(deps.invoker, instanceId, task);
  if (!deps.isRunning()) return;
  const result = activityOutcome(task.name, outcome);
  const timestamp = nextTimestamp(deps.clock.now(), undefined);
  const message = result.ok
    ? taskCompletedMessage(timestamp, executionId, task.taskId, result.result)
    : taskFailedMessage(
        timestamp,
        executionId,
        task.taskId,
        result.reason,
        result.details,
        result.failureDetails,
      );
  if (!result.ok) {
    deps.log({ level: 'warning', category: 'system', functionName: task.name, message: result.reason });
  }
  for (const output of outcome.ok ? (outcome.outputData ?? []) : []) {
    deps.log({
      level: 'warning',
      category: 'system',
      functionName: task.name,
      message: `The output binding '${output.name}' of '${task.name}' is not emulated by the local host; its value was dropped.`,
    });
  }
  const added = await retryWrite(() => deps.store.addMessage(instanceId, message), {
    shouldRetry: () => deps.isRunning(),
  });
  if (added) deps.completed(instanceId);
}
