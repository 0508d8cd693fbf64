/**
 * Replays one episode the way the Durable extension and DTFx do: walk the execution's history in
 * order, start the out-of-process shim at ExecutionStarted, and let each history event settle the
 * simulated tasks. The shim applies the custom status, then invokes the JS actions one at a time,
 * awaiting each (a later action is only scheduled once the earlier ones have finished), and only
 * then applies the state's error or output. The orchestration completes when that result is known
 * and no activity or uncancelled timer is still open.
 */
import { EventType } from '../../history/event-type';
import { toTicksIso } from '../../time/dotnet-time';
import type { HistoryEvent } from '../../history/history-event';
import type { OrchestratorResult } from '../orchestrator-result';
import type { OrchestratorAction, OrchestratorState } from '../orchestrator-state';
import { createActionInvoker } from './action-invoker';
import { customStatusTooLarge, ExtensionApiError } from './extension-errors';
import { ExternalEventBroker } from './external-events';
import { NonDeterminismError } from './nondeterminism';
import { SimOrchestrationContext, type PlannedAction } from './orchestration-context';

/** What an episode's replay decided. */
export type ShimOutcome =
  | { kind: 'running' }
  | { kind: 'completed'; output: string | null }
  | { kind: 'continuedAsNew'; input: string | null }
  | { kind: 'failed'; reason: string; nonDeterministic: boolean };

/** The result of {@link replayShim}. */
export interface ShimReplay {
  outcome: ShimOutcome;
  /** New activities and timers to append to history (and dispatch), in id order. */
  newActions: PlannedAction[];
  /** The EventId of the ExecutionCompleted/ContinueAsNew event when the outcome is terminal. */
  completionEventId?: number;
  /** The custom status JSON the state set, if it set one (JS sends only truthy values). */
  customStatus?: string;
}

/** Inputs of {@link replayShim}. */
export interface ShimReplayInput {
  orchestratorName: string;
  /** The whole history of the current execution, this episode's new events included. */
  history: readonly HistoryEvent[];
  /** What the orchestrator returned for this history. */
  result: OrchestratorResult;
  knownActivities: readonly string[];
  maxOrchestrationActions: number;
}

const MAX_CUSTOM_STATUS_KB = 16;

function serializeCustomStatus(value: unknown): string {
  const json = JSON.stringify(value);
  // UTF-16 bytes (two per code unit), floored to KB as the extension does.
  const sizeKb = Math.floor((json.length * 2) / 1024);
  if (sizeKb > MAX_CUSTOM_STATUS_KB) throw customStatusTooLarge(sizeKb);
  return json;
}

type ShimResult =
  | { kind: 'pending' }
  | { kind: 'completed'; output: string | null }
  | { kind: 'continuedAsNew'; input: string | null }
  | { kind: 'faulted'; reason: string };

/** Replays one episode; pure: no I/O, no clock. */
export function replayShim(input: ShimReplayInput): ShimReplay {
  const firstStarted = input.history.find((e) => e.EventType === EventType.OrchestratorStarted);
  const ctx = new SimOrchestrationContext(toTicksIso(firstStarted?.Timestamp ?? new Date(0).toISOString()));
  const events = new ExternalEventBroker();
  const failed = (message: string): string =>
    `Orchestrator function '${input.orchestratorName}' failed: ${message}`;
  // Typed wider than its initializer: closures assign it, which control-flow narrowing cannot see.
  let shim = { kind: 'pending' } as ShimResult;
  let continueAsNewInput: string | null | undefined;
  let customStatus: string | undefined;

  const invoke = createActionInvoker({
    ctx,
    events,
    knownActivities: input.knownActivities,
    maxOrchestrationActions: input.maxOrchestrationActions,
    onContinueAsNew: (next) => {
      continueAsNewInput = next;
    },
  });

  const finish = (state: OrchestratorState): void => {
    if (state.error !== undefined && state.error !== '') {
      shim = { kind: 'faulted', reason: failed(state.error) };
    } else if (state.isDone) {
      shim =
        continueAsNewInput !== undefined
          ? { kind: 'continuedAsNew', input: continueAsNewInput }
          : { kind: 'completed', output: state.output === undefined ? null : JSON.stringify(state.output) };
    }
  };

  const runFrom = (actions: readonly OrchestratorAction[], index: number, state: OrchestratorState): void => {
    for (let i = index; i < actions.length; i++) {
      const action = actions[i]!;
      let task;
      try {
        task = invoke(action);
      } catch (error) {
        if (!(error instanceof ExtensionApiError)) throw error;
        shim = { kind: 'faulted', reason: failed(error.message) };
        return;
      }
      if (!task.settled) {
        task.then(() => runFrom(actions, i + 1, state));
        return;
      }
    }
    finish(state);
  };

  const startShim = (): void => {
    if (input.result.kind === 'failed') {
      shim = { kind: 'faulted', reason: failed(input.result.message) };
      return;
    }
    const { state } = input.result;
    try {
      if (state.customStatus !== undefined && state.customStatus !== null) {
        customStatus = serializeCustomStatus(state.customStatus);
      }
    } catch (error) {
      if (!(error instanceof ExtensionApiError)) throw error;
      shim = { kind: 'faulted', reason: failed(error.message) };
      return;
    }
    if (state.actions.length !== 1) {
      shim = {
        kind: 'faulted',
        reason: failed(
          `With OOProc schema V4, expected actions array to be of length 1 in outer layer but got size: ${state.actions.length}`,
        ),
      };
      return;
    }
    runFrom(state.actions[0]!, 0, state);
  };

  let nonDeterminism: string | undefined;
  try {
    for (const event of input.history) walk(event);
  } catch (error) {
    if (!(error instanceof NonDeterminismError)) throw error;
    nonDeterminism = error.message;
  }

  function walk(event: HistoryEvent): void {
    switch (event.EventType) {
      case EventType.OrchestratorStarted:
        ctx.currentTime = toTicksIso(event.Timestamp);
        return;
      case EventType.ExecutionStarted:
        return startShim();
      case EventType.TaskScheduled:
        return ctx.handleTaskScheduled(event.EventId, event.Name, event.Version);
      case EventType.TimerCreated:
        return ctx.handleTimerCreated(event.EventId);
      case EventType.TaskCompleted:
        return ctx.handleCompletion(event.TaskScheduledId, 'completed');
      case EventType.TaskFailed:
        return ctx.handleCompletion(event.TaskScheduledId, 'failed');
      case EventType.TimerFired:
        return ctx.handleCompletion(event.TimerId, 'completed');
      case EventType.EventRaised:
        return events.raise(event.Name);
      default:
        return;
    }
  }

  const base = customStatus === undefined ? {} : { customStatus };
  if (nonDeterminism !== undefined) {
    return {
      ...base,
      outcome: { kind: 'failed', reason: nonDeterminism, nonDeterministic: true },
      newActions: [],
      completionEventId: ctx.nextId(),
    };
  }
  const newActions = ctx.newActions();
  const settled: ShimResult = shim;
  if (settled.kind === 'pending' || ctx.hasOpenTasks)
    return { ...base, outcome: { kind: 'running' }, newActions };
  const outcome: ShimOutcome =
    settled.kind === 'faulted'
      ? { kind: 'failed', reason: settled.reason, nonDeterministic: false }
      : settled;
  return { ...base, outcome, newActions, completionEventId: ctx.nextId() };
}

/** A one-line description of an outcome, as recordings store it. */
export function describeOutcome(outcome: ShimOutcome): string {
  return outcome.kind === 'failed' ? `failed: ${outcome.reason}` : outcome.kind;
}
