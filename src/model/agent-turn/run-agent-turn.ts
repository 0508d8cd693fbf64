/**
 * One agent turn: the model is called with the agent's view until it answers or hands off, running the
 * agent's own tools and correcting invalid calls in between (bounded). Activity-side: it does I/O.
 */
import {
  AssistantMessageSchema,
  toConversation,
  type AssistantMessage,
  type TranscriptMessage,
} from '../../core/messages';
import { ModelBehaviorError, ToolExecutionError } from '../../core/errors';
import { buildAgentRequest } from '../../core/agent-view';
import { type ChatModel, type TokenUsage, ZERO_USAGE, addUsage } from '../../core/model';
import { routeResponse, type TurnWarning } from '../../core/routing';
import type { ToolCallFiltering } from '../../core/options';
import type { AgentTurnResult, TurnDecision } from '../../core/turn-result';
import type { HandoffWorkflow } from '../../core/workflow';
import { formatIssues } from '../../core/zod-issues';
import { runToolStep } from './execute-tool';
import { turnTextPreview } from './turn-text-preview';
import { type AgentTurnLimits, resolveTurnLimits } from './turn-limits';

/** What {@link runAgentTurn} takes. */
export interface AgentTurnInput {
  workflow: HandoffWorkflow;
  agentName: string;
  /** The whole run transcript so far, oldest first (new user input included). */
  transcript: readonly TranscriptMessage[];
  model: ChatModel;
  /** True when new user input (initial, reply, synthetic prompt) entered: the condition is checked before the model call. */
  checkTerminationFirst: boolean;
  /**
   * What of earlier tool calls the agent sees. A durable run passes the value its plan pinned, which
   * wins over a redeployed definition's; default: the workflow's own.
   */
  toolCallFiltering?: ToolCallFiltering;
  signal?: AbortSignal;
  /**
   * Receives the turn's answers as the model writes them (the model is then asked to stream): the
   * preview of what the turn's `agent_response` events will say, answers after the first separated
   * by a blank line.
   */
  onTextDelta?: (delta: string) => void;
  /** Bounds of the turn; see {@link AgentTurnLimits} for the defaults. */
  limits?: Partial<AgentTurnLimits>;
}

/** The model's message as this agent's: author set to the agent, duplicate call ids made unique. */
function ownMessage(raw: AssistantMessage, agentName: string): AssistantMessage {
  const parsed = AssistantMessageSchema.safeParse({ ...raw, authorName: agentName });
  if (!parsed.success) {
    throw new ModelBehaviorError(
      formatIssues(`The model's response for agent '${agentName}' is malformed`, parsed.error),
    );
  }
  const { toolCalls, ...rest } = parsed.data;
  if (toolCalls === undefined || toolCalls.length === 0) return rest;
  const seen = new Set<string>();
  const unique = toolCalls.map((call, index) => {
    const id = seen.has(call.id) ? `${call.id}_${index}` : call.id;
    seen.add(id);
    return { ...call, id };
  });
  return { ...rest, toolCalls: unique };
}

const turnWarnings = new WeakMap<object, TurnWarning[]>();

/** `error`, remembered with the warnings its turn raised before failing (see {@link turnWarningsOf}). */
function withTurnWarnings<E extends Error>(error: E, warnings: readonly TurnWarning[]): E {
  turnWarnings.set(error, [...warnings]);
  return error;
}

/** The warnings a failed turn raised before `error` ended it (the corrections that ran out), if any. */
export function turnWarningsOf(error: unknown): TurnWarning[] {
  return (typeof error === 'object' && error !== null && turnWarnings.get(error)) || [];
}

/**
 * Runs one turn of `agentName`. With `checkTerminationFirst`, the termination condition is checked on
 * the transcript first and the turn is skipped when it holds. After a reply that is not a handoff, the
 * condition's verdict is returned as `terminate`.
 *
 * Throws what the model throws (`ModelCallError`, untouched, so the caller can tell retryable from
 * permanent), `ModelBehaviorError` when the model keeps making invalid calls or tool round trips past
 * the limits, `ToolExecutionError` when own tools keep failing, `WorkflowInputError` for an unknown agent.
 *
 * @example
 * const result = await runAgentTurn({
 *   workflow, agentName: 'coordinator_agent', model,
 *   transcript: [{ role: 'user', text: 'I never received my order #12345' }],
 *   checkTerminationFirst: true,
 * });
 * if (result.kind === 'completed' && result.decision.kind === 'handoff') console.log(result.decision.target);
 */
export async function runAgentTurn(input: AgentTurnInput): Promise<AgentTurnResult> {
  const { workflow, agentName, transcript, model, signal } = input;
  const limits = resolveTurnLimits(input.limits);
  workflow.requireAgent(agentName);
  if (input.checkTerminationFirst && workflow.shouldTerminate(toConversation(transcript))) {
    return { kind: 'terminated_before_turn' };
  }

  const turn: TranscriptMessage[] = [];
  const warnings: TurnWarning[] = [];
  let usage: TokenUsage = ZERO_USAGE;
  let corrections = 0;
  let roundTrips = 0;
  let failingRounds = 0;
  const preview = input.onTextDelta && turnTextPreview(input.onTextDelta);
  const completed = (decision: TurnDecision, terminate: boolean): AgentTurnResult => ({
    kind: 'completed',
    messages: turn,
    decision,
    terminate,
    usage,
    warnings,
  });

  for (;;) {
    signal?.throwIfAborted();
    const request = buildAgentRequest(workflow, agentName, transcript, turn, input.toolCallFiltering);
    const response = await model.generate(request, {
      ...(signal !== undefined ? { signal } : {}),
      ...(preview ? { onTextDelta: preview.forNextCall() } : {}),
    });
    usage = addUsage(usage, response.usage);
    const message = ownMessage(response.message, agentName);
    turn.push(message);
    const decision = routeResponse(workflow, agentName, message);
    warnings.push(...decision.warnings);

    if (decision.kind === 'respond') {
      return completed(
        { kind: 'respond' },
        workflow.shouldTerminate(toConversation([...transcript, ...turn])),
      );
    }
    if (decision.kind === 'handoff') {
      turn.push(...decision.results);
      const reason = decision.reason;
      return completed(
        { kind: 'handoff', target: decision.target, ...(reason !== undefined ? { reason } : {}) },
        false,
      );
    }

    let failures = 0;
    let executed = false;
    for (const step of decision.steps) {
      const outcome = await runToolStep(step, {
        workflowName: workflow.name,
        agentName,
        ...(signal !== undefined ? { signal } : {}),
      });
      turn.push(outcome.message);
      executed ||= step.kind === 'execute';
      if (outcome.failure !== undefined) {
        failures += 1;
        warnings.push({ code: 'tool_error', message: `Agent '${agentName}': ${outcome.message.text}` });
      }
    }
    if (decision.kind === 'error' && ++corrections > limits.maxCorrections) {
      const last = decision.warnings.at(-1)?.message ?? 'invalid tool call';
      throw withTurnWarnings(
        new ModelBehaviorError(
          `Agent '${agentName}' kept making invalid tool calls: ${corrections} responses in one turn were corrected (limit ${limits.maxCorrections}). Last problem: ${last}`,
        ),
        warnings,
      );
    }
    if (failures > 0 && ++failingRounds > limits.maxToolErrors) {
      const last = warnings.at(-1)?.message ?? 'tool failed';
      throw new ToolExecutionError(
        `Agent '${agentName}': its tools failed in ${failingRounds} responses of one turn (limit ${limits.maxToolErrors}). Last failure: ${last}`,
      );
    }
    if (executed && ++roundTrips > limits.maxToolRoundTrips) {
      throw new ModelBehaviorError(
        `Agent '${agentName}' called its tools ${roundTrips} times in one turn without answering (limit ${limits.maxToolRoundTrips}).`,
      );
    }
  }
}
