import type { InvocationContext } from '@azure/functions';
import { DurableHandoffError, WorkflowInputError } from '../../core/errors';
import type { ChatModel } from '../../core/model';
import { runAgentTurn } from '../../model/agent-turn/run-agent-turn';
import type { RunStore } from '../store/run-store';
import { agentTurnActivity, type AgentTurnOutput } from '../wire/agent-turn-activity';
import { retryableFailureMessage } from '../wire/retryable-failure';
import type { WorkflowSource } from '../workflow-source';
import { classifyActivityError } from './classify-activity-error';
import { summarizeTurn } from './summarize-turn';

/** Waits a model asks for that are longer than Durable's first retry (2 s) are honoured by the orchestrator. */
const DURABLE_FIRST_RETRY_MS = 2000;

function longRetryAfter(error: unknown): number | undefined {
  if (!DurableHandoffError.isInstance(error) || !error.isRetryable) return undefined;
  const wait = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof wait === 'number' && wait > DURABLE_FIRST_RETRY_MS ? wait : undefined;
}

/** What the agent-turn activity needs; resolved lazily so configuration is read at use, not import. */
export interface AgentTurnDeps {
  workflows: WorkflowSource;
  store: () => RunStore;
  model: () => Promise<ChatModel>;
}

/**
 * The `handoffAgentTurn` activity: persists what the orchestrator handed over (events, new user
 * messages, handled replies), rebuilds the transcript from the run store, runs one agent turn and
 * stores the turn's messages. Writes are idempotent upserts, so a retried or re-run activity is safe.
 */
export function createAgentTurnHandler(deps: AgentTurnDeps) {
  return async function handoffAgentTurn(
    rawInput: unknown,
    context: InvocationContext,
  ): Promise<AgentTurnOutput> {
    let modelDescription: string | undefined;
    // Run events and status are readable by anyone holding the run's token (a chat page's customer):
    // they say "the model", not which endpoint or deployment the app uses. The logs keep the details.
    const forRun = (text: string): string =>
      modelDescription ? text.split(modelDescription).join('the model') : text;
    try {
      const input = agentTurnActivity.input.parse(rawInput);
      const store = deps.store();
      // The four touch different rows (the read stops before the appended messages), so they go out
      // together: one round trip of latency per turn instead of four. All are idempotent, and a
      // failure of any fails the attempt, which Durable retries as a whole.
      const [stored] = await Promise.all([
        store.readMessages(input.runId, input.knownMessages),
        store.saveEvents(input.runId, input.events),
        store.markRepliesHandled(input.runId, input.handledReplyIds),
        store.saveMessages(input.runId, input.knownMessages, input.append),
      ]);
      if (!deps.workflows.has(input.workflow)) {
        throw new WorkflowInputError(
          `Workflow '${input.workflow}' is no longer deployed; the run cannot continue.`,
        );
      }
      const workflow = deps.workflows.get(input.workflow);
      const transcript = [...stored, ...input.append];
      const model = await deps.model();
      modelDescription = model.description;
      const result = await runAgentTurn({
        workflow,
        agentName: input.agent,
        transcript,
        model,
        checkTerminationFirst: input.checkTerminationFirst,
        ...(input.toolCallFiltering ? { toolCallFiltering: input.toolCallFiltering } : {}),
      });
      const changed = workflow.version !== input.version;
      const redeployed = changed ? { redeployed: { version: workflow.version, plan: workflow.plan() } } : {};
      if (result.kind === 'terminated_before_turn') return { ok: true, turn: result, ...redeployed };
      await store.saveMessages(input.runId, transcript.length, result.messages);
      return { ok: true, turn: summarizeTurn(result), ...redeployed };
    } catch (error) {
      const wait = longRetryAfter(error);
      if (wait !== undefined && DurableHandoffError.isInstance(error)) {
        // Durable's retry schedule (2, 4, 8, 16 s) cannot follow a server that asks for a longer wait:
        // the orchestrator waits on a durable timer instead, as long as asked, and tries again.
        context.warn(
          `Agent turn was rate limited (${error.code}); the run waits ${wait} ms as the model asked.`,
        );
        return {
          ok: false,
          error: { ...error.toJSON(), message: forRun(error.message) },
          retryAfterMs: wait,
        };
      }
      const disposition = classifyActivityError(error);
      if (disposition.retry) {
        context.warn(
          `Agent turn failed with a retryable error (${disposition.code}); Durable will retry: ${disposition.message}`,
        );
        throw new Error(retryableFailureMessage(disposition.code, forRun(disposition.message)));
      }
      context.error(
        `Agent turn failed permanently (${disposition.error.code}): ${disposition.error.message}`,
      );
      return { ok: false, error: { ...disposition.error, message: forRun(disposition.error.message) } };
    }
  };
}
