import { randomBytes, randomUUID } from 'node:crypto';
import { WorkflowInputError } from '../core/errors';
import type { HandoffWorkflow } from '../core/workflow';
import { formatIssues } from '../core/zod-issues';
import { HANDOFF_ORCHESTRATOR } from './names';
import type { RunClient } from './run-client';
import { MAX_MESSAGE_LENGTH, RunIdSchema, type StartRunOptions } from '../core/run-input';
import type { OrchestrationInput } from './wire/orchestration-input';
import type { RunTrace } from './wire/run-trace';

/** Builds the orchestration input of a new run: the workflow's plan pinned, the run's options applied. */
export function buildRunInput(
  workflow: HandoffWorkflow,
  options: StartRunOptions & { runId: string; nonce?: string; trace?: RunTrace },
): OrchestrationInput {
  if (options.message.trim() === '' || options.message.length > MAX_MESSAGE_LENGTH) {
    throw new WorkflowInputError(`The message must be 1 to ${MAX_MESSAGE_LENGTH} characters long.`);
  }
  const plan = workflow.plan();
  return {
    schemaVersion: 1,
    runId: options.runId,
    ...(options.nonce === undefined ? {} : { nonce: options.nonce }),
    ...(options.trace === undefined ? {} : { trace: options.trace }),
    plan,
    mode: options.mode ?? plan.interactionMode,
    replyTimeoutMs: plan.replyTimeoutMs,
    messages: [options.message],
  };
}

/** A new run instance nonce (see `wire/run-instance.ts`): 128 random bits. */
export function newRunNonce(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * Starts a run of `workflow` as a new run instance: its id (the orchestration instance id) and the
 * nonce that tells it apart from any earlier or later run of the same id. `trace` is the run's trace
 * (see `wire/run-trace.ts`), kept in its input for every activity's spans. `nonce`: the instance's
 * nonce when the caller made it first (to claim the run id with it).
 */
export async function startRunInstance(
  client: RunClient,
  workflow: HandoffWorkflow,
  options: StartRunOptions,
  trace?: RunTrace,
  nonce: string = newRunNonce(),
): Promise<{ runId: string; nonce: string }> {
  const runId = options.runId ?? randomUUID();
  const valid = RunIdSchema.safeParse(runId);
  if (!valid.success)
    throw new WorkflowInputError(formatIssues(`Run id '${runId.slice(0, 100)}' is invalid`, valid.error));
  await client.startNew(HANDOFF_ORCHESTRATOR, {
    instanceId: runId,
    input: buildRunInput(workflow, { ...options, runId, nonce, ...(trace ? { trace } : {}) }),
  });
  return { runId, nonce };
}

/**
 * Starts a run of `workflow` and returns its run id (the orchestration instance id).
 *
 * @example
 * const runId = await startHandoffRun(df.getClient(context), workflowRegistry.get('customer_support'), {
 *   message: 'I never received my order #12345',
 * });
 */
export async function startHandoffRun(
  client: RunClient,
  workflow: HandoffWorkflow,
  options: StartRunOptions,
): Promise<string> {
  return (await startRunInstance(client, workflow, options)).runId;
}
