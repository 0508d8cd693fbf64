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

/** A run instance to start: its run id (the orchestration instance id) and its nonce. */
export interface NewRunInstance {
  runId: string;
  nonce: string;
}

/**
 * The identity of a run about to start, drawn here only: `runId` when the caller chose one (checked
 * against `RunIdSchema`), otherwise a random UUID; and a new nonce, which tells this run apart from
 * any earlier or later run of the same id. The HTTP start draws it before the run starts (it claims
 * a chosen id with the nonce and notes the run in its transcripts).
 */
export function newRunInstance(runId: string | undefined): NewRunInstance {
  const id = runId ?? randomUUID();
  const valid = RunIdSchema.safeParse(id);
  if (!valid.success)
    throw new WorkflowInputError(formatIssues(`Run id '${id.slice(0, 100)}' is invalid`, valid.error));
  return { runId: id, nonce: newRunNonce() };
}

/**
 * Starts a run of `workflow` as the run instance `instance` (see {@link newRunInstance}); `options.runId`
 * is not read (the instance holds the id). `trace` is the run's trace (see `wire/run-trace.ts`), kept
 * in its input for every activity's spans.
 */
export async function startRunInstance(
  client: RunClient,
  workflow: HandoffWorkflow,
  options: Omit<StartRunOptions, 'runId'>,
  instance: NewRunInstance,
  trace?: RunTrace,
): Promise<void> {
  const { runId, nonce } = instance;
  await client.startNew(HANDOFF_ORCHESTRATOR, {
    instanceId: runId,
    input: buildRunInput(workflow, { ...options, runId, nonce, ...(trace ? { trace } : {}) }),
  });
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
  const instance = newRunInstance(options.runId);
  await startRunInstance(client, workflow, options, instance);
  return instance.runId;
}
