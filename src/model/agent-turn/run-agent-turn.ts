/**
 * One agent turn: the model is called with the agent's view until it answers or hands off, running the
 * agent's own tools and correcting invalid calls in between (bounded). Activity-side: it does I/O.
 *
 * Every model response and tool result goes through the turn's journal before the turn acts on it,
 * so a turn that runs again after a crash replays what it had received and done instead of asking
 * the model again or running a tool again. A response whose calls need the human's approval ends
 * the turn early (`awaiting_approval`); the turn goes on, in another call, with the human's answers.
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
import { routeResponse, type ToolStep, type TurnWarning } from '../../core/routing';
import type { ToolCallFiltering } from '../../core/options';
import { callNeedsApproval, type FunctionTool } from '../../core/tool';
import { rejectedText } from '../../core/tool-messages';
import type {
  AgentTurnResult,
  ApprovalDecision,
  PendingApproval,
  ToolRun,
  TurnDecision,
} from '../../core/turn-result';
import type { HandoffWorkflow } from '../../core/workflow';
import { formatIssues } from '../../core/zod-issues';
import { executeTool } from './execute-tool';
import { jsonArguments } from './json-arguments';
import { turnTextPreview } from './turn-text-preview';
import { type AgentTurnLimits, resolveTurnLimits } from './turn-limits';
import { UNRECORDED_TURN, type TurnJournal } from './turn-journal';

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
  /** The run, for the tools' idempotency keys (`<runId>:<callId>`). Default `local`. */
  runId?: string;
  /** The agent's tools this turn: its own and those its MCP servers list. Default: its own. */
  tools?: readonly FunctionTool[];
  /** Where the turn records what it received and did (see {@link TurnJournal}). Default: nowhere. */
  journal?: TurnJournal;
  /**
   * Resumes a turn that stopped for approvals: the transcript ends with that turn's last response;
   * `approvals` are the human's answers to its pending calls, and the turn's messages begin at
   * `turnStartsAt` in the transcript (the agent sees them as its current turn's, unfiltered, so
   * each call is still followed by its result).
   */
  resume?: { approvals: readonly ApprovalDecision[]; turnStartsAt: number };
}

/**
 * The model's message as this agent's: author set to the agent, and call ids unique in the run (a
 * provider may number calls `call_0`, `call_1`... in every response), since a call id names the
 * call's records and its tool's idempotency key.
 */
function ownMessage(
  raw: AssistantMessage,
  agentName: string,
  usedIds: ReadonlySet<string>,
): AssistantMessage {
  const parsed = AssistantMessageSchema.safeParse({ ...raw, authorName: agentName });
  if (!parsed.success) {
    throw new ModelBehaviorError(
      formatIssues(`The model's response for agent '${agentName}' is malformed`, parsed.error),
    );
  }
  const { toolCalls, ...rest } = parsed.data;
  if (toolCalls === undefined || toolCalls.length === 0) return rest;
  const seen = new Set(usedIds);
  const unique = toolCalls.map((call, index) => {
    let id = call.id;
    for (let n = index; seen.has(id); n += toolCalls.length) id = `${call.id}_${n}`;
    seen.add(id);
    return { ...call, id };
  });
  return { ...rest, toolCalls: unique };
}

function callIdsOf(messages: readonly TranscriptMessage[]): Set<string> {
  return new Set(
    messages.flatMap((m) => (m.role === 'assistant' ? (m.toolCalls ?? []).map((c) => c.id) : [])),
  );
}

/**
 * The response a resumed turn carries over: the transcript's last assistant message of `agentName`
 * with calls, and the ids of its calls already answered after it.
 */
function pendingResponse(
  transcript: readonly TranscriptMessage[],
  agentName: string,
): { message: AssistantMessage; answered: Set<string> } {
  for (let i = transcript.length - 1; i >= 0; i -= 1) {
    const message = transcript[i]!;
    if (
      message.role === 'assistant' &&
      message.authorName === agentName &&
      (message.toolCalls ?? []).length > 0
    ) {
      const answered = new Set(
        transcript.slice(i + 1).flatMap((m) => (m.role === 'tool' ? [m.toolCallId] : [])),
      );
      return { message, answered };
    }
    if (message.role !== 'tool') break;
  }
  throw new ModelBehaviorError(
    `Agent '${agentName}' has no response waiting for approvals at the end of the transcript; the turn cannot resume.`,
  );
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
 * Calls in one response run in the order the model made them. When any of them needs approval (see
 * `tool({ needsApproval })`) and has no answer yet, none of them runs: the turn returns
 * `awaiting_approval` with those calls, and is resumed (`resume`) once each has an answer.
 * Approved calls then run, rejected ones are answered with the rejection (and its reason).
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
  const tools = input.tools ?? workflow.requireAgent(agentName).tools;
  workflow.requireAgent(agentName);
  const journal = input.journal ?? UNRECORDED_TURN;
  const runId = input.runId ?? 'local';
  const resume = input.resume;
  const resuming = resume !== undefined;
  // What the agent sees as earlier turns, and as its own turn so far (a resumed turn's messages).
  const turnStart = resume
    ? Math.min(Math.max(0, resume.turnStartsAt), transcript.length)
    : transcript.length;
  const earlier = transcript.slice(0, turnStart);
  const resumedMessages = transcript.slice(turnStart);
  if (!resuming && input.checkTerminationFirst && workflow.shouldTerminate(toConversation(transcript))) {
    return { kind: 'terminated_before_turn' };
  }

  const turn: TranscriptMessage[] = [];
  const warnings: TurnWarning[] = [];
  const toolRuns: ToolRun[] = [];
  let usage: TokenUsage = ZERO_USAGE;
  let corrections = 0;
  let roundTrips = 0;
  let failingRounds = 0;
  const runs = (): { toolRuns?: ToolRun[] } => (toolRuns.length > 0 ? { toolRuns } : {});
  const preview = input.onTextDelta && turnTextPreview(input.onTextDelta);
  const completed = (decision: TurnDecision, terminate: boolean): AgentTurnResult => ({
    kind: 'completed',
    messages: turn,
    decision,
    terminate,
    usage,
    warnings,
    ...runs(),
  });

  /**
   * Answers the calls of one response (`step`), or stops the turn for the approvals it lacks.
   * Returns the pending calls when it stopped.
   */
  const answerCalls = async (
    step: number,
    steps: readonly ToolStep[],
    answered: ReadonlySet<string>,
  ): Promise<{ pending?: PendingApproval[]; failures: number; executed: boolean }> => {
    const decisions = new Map((resume?.approvals ?? []).map((d) => [d.callId, d]));
    const pending = steps.flatMap((s): PendingApproval[] =>
      s.kind === 'execute' &&
      !answered.has(s.call.id) &&
      !decisions.has(s.call.id) &&
      callNeedsApproval(s.tool, s.args)
        ? [{ callId: s.call.id, tool: s.tool.name, arguments: jsonArguments(s.args) }]
        : [],
    );
    if (pending.length > 0) return { pending, failures: 0, executed: false };
    let failures = 0;
    let executed = false;
    for (const [index, s] of steps.entries()) {
      if (answered.has(s.call.id)) continue;
      const base = {
        role: 'tool' as const,
        authorName: agentName,
        toolCallId: s.call.id,
        toolName: s.call.name,
      };
      if (s.kind === 'answer') {
        turn.push({ ...base, text: s.text });
        continue;
      }
      const decision = decisions.get(s.call.id);
      if (decision?.approved === false) {
        turn.push({ ...base, text: rejectedText(s.tool.name, decision.reason) });
        continue;
      }
      signal?.throwIfAborted();
      const result = await journal.toolResult(step, index, s.call.id, () =>
        executeTool(s.tool, s.args, {
          workflowName: workflow.name,
          runId,
          agentName,
          toolCallId: s.call.id,
          idempotencyKey: `${runId}:${s.call.id}`,
          ...(signal !== undefined ? { signal } : {}),
        }),
      );
      turn.push({ ...base, text: result.text });
      toolRuns.push({
        callId: s.call.id,
        tool: s.tool.name,
        arguments: jsonArguments(s.args),
        ok: result.ok,
      });
      executed = true;
      if (!result.ok) {
        failures += 1;
        warnings.push({ code: 'tool_error', message: `Agent '${agentName}': ${result.text}` });
      }
    }
    return { failures, executed };
  };

  const paused = (pending: PendingApproval[]): AgentTurnResult => ({
    kind: 'awaiting_approval',
    messages: turn,
    pending,
    usage,
    warnings,
    ...runs(),
  });

  if (resuming) {
    const carried = pendingResponse(transcript, agentName);
    const decision = routeResponse(workflow, agentName, carried.message, tools);
    if (decision.kind === 'tools' || decision.kind === 'error') {
      const outcome = await answerCalls(0, decision.steps, carried.answered);
      if (outcome.pending) return paused(outcome.pending);
    }
  }

  for (let step = 1; ; step += 1) {
    signal?.throwIfAborted();
    const request = buildAgentRequest(
      workflow,
      agentName,
      earlier,
      [...resumedMessages, ...turn],
      input.toolCallFiltering,
      tools,
    );
    // A response the journal holds is replayed whole: nothing streams, the turn's events show it.
    const recorded = await journal.response(step, async () => {
      const response = await model.generate(request, {
        ...(signal !== undefined ? { signal } : {}),
        ...(preview ? { onTextDelta: preview.forNextCall() } : {}),
      });
      const used = callIdsOf([...transcript, ...turn]);
      return { message: ownMessage(response.message, agentName, used), usage: response.usage };
    });
    usage = addUsage(usage, recorded.usage);
    const message = recorded.message;
    turn.push(message);
    const decision = routeResponse(workflow, agentName, message, tools);
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

    const { pending, failures, executed } = await answerCalls(step, decision.steps, new Set());
    if (pending) return paused(pending);
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
