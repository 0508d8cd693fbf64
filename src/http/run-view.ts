import { isFinished, type RunState, type StopReason } from '../core/events';
import { RunIdSchema } from '../core/run-input';
import { OrchestrationInputSchema } from '../durable/wire/orchestration-input';
import type { RunOutput } from '../durable/wire/run-output';
import type { RunStatus } from '../durable/wire/run-status';
import { runStoreKey } from '../durable/wire/run-instance';
import type { RunTrace } from '../durable/wire/run-trace';
import { ApiError } from './http-error';
import type { RunManagementClient } from './run-management-client';
import { readRunOutput, readRunStatus } from './run-status-reading';

/** What the API knows of a run from its Durable status. */
export interface RunView {
  runId: string;
  /** The run instance's nonce; undefined for a run started before #18. */
  nonce: string | undefined;
  /** Where the run store keeps this instance's data. */
  storeKey: string;
  /** When the instance was created (ISO 8601), if known. */
  createdAt: string | undefined;
  /** When a finished run ended (ISO 8601), if known; undefined while it runs. */
  endedAt: string | undefined;
  workflow: string;
  runtimeStatus: string;
  /** The agent that acts next (the start agent until the run's first step). */
  activeAgent: string;
  status: RunStatus | undefined;
  /** The run's trace (absent when telemetry was off at its start), for the API's spans to link to. */
  trace: RunTrace | undefined;
  output: RunOutput | undefined;
  state: RunState;
  stopReason: StopReason | undefined;
  error: { code: string; message: string } | undefined;
}

function notFound(workflow: string, runId: string): ApiError {
  return new ApiError(
    404,
    'run_not_found',
    `No run '${runId.slice(0, 100)}' of workflow '${workflow}' exists.`,
  );
}

/**
 * Loads a run for a route of workflow `workflow`. A run of another workflow, an orchestration that is
 * not a handoff run, or an id that cannot exist are all "not found", so nothing leaks across routes.
 *
 * The run's workflow comes from its custom status, which the orchestrator sets from its first step
 * on; only before that (or for an orchestration that is not a handoff run) is the instance read
 * again with its input, the pinned plan, which is larger and the same on every read.
 */
export async function loadRun(
  client: RunManagementClient,
  workflow: string,
  runId: string,
): Promise<RunView> {
  if (!RunIdSchema.safeParse(runId).success) throw notFound(workflow, runId);
  let instance = await client.getStatus(runId);
  if (!instance) throw notFound(workflow, runId);
  const status = readRunStatus(instance.customStatus);
  let startAgent: string | undefined;
  let nonce: string | undefined;
  let trace: RunTrace | undefined;
  if (status) {
    if (status.workflow !== workflow) throw notFound(workflow, runId);
    nonce = status.nonce;
    trace = status.trace;
  } else {
    instance = await client.getStatus(runId, { showInput: true });
    const input = OrchestrationInputSchema.safeParse(instance?.input);
    if (!instance || !input.success || input.data.plan.workflow !== workflow) throw notFound(workflow, runId);
    startAgent = input.data.plan.startAgent;
    nonce = input.data.nonce;
    trace = input.data.trace;
  }
  const output = readRunOutput(instance.output);
  const view: RunView = {
    runId,
    nonce,
    storeKey: runStoreKey({ runId, nonce }),
    createdAt: instance.createdTime,
    endedAt: undefined,
    workflow,
    runtimeStatus: instance.runtimeStatus,
    activeAgent: status ? status.activeAgent : (startAgent ?? ''),
    status,
    trace,
    output,
    state: 'running',
    stopReason: undefined,
    error: undefined,
  };
  if (view.output) {
    view.state = view.output.state;
    view.stopReason = view.output.stopReason;
    view.error = view.output.error;
  } else if (instance.runtimeStatus === 'Failed') {
    view.state = 'failed';
    view.stopReason = 'error';
    view.error = {
      code: 'orchestration_failed',
      message: typeof instance.output === 'string' ? instance.output : 'The orchestration failed.',
    };
  } else if (instance.runtimeStatus === 'Terminated' || instance.runtimeStatus === 'Canceled') {
    view.state = 'terminated';
    view.stopReason = 'cancelled';
  } else if (view.status && !isFinished(view.status.state)) {
    // A custom status that already says how the run ended, while the orchestration still runs, means
    // the run is storing its closing events: it reads as running until then, so a client that sees a
    // final state also finds the final conversation and events.
    view.state = view.status.state;
  }
  if (isFinished(view.state)) view.endedAt = instance.lastUpdatedTime;
  return view;
}
