/**
 * The events of one agent turn, as the run's event log shows them: the agent's answers and
 * warnings, the end of its step, and the coordinator's routing. The agent-turn activity writes them
 * (numbered from the seq the orchestrator handed it); builds before #12 had the orchestrator write
 * them from the turn's summary, which replays of their histories still do. Both use this module, so
 * the log reads the same either way.
 */
import { HANDOFF_COORDINATOR_ID, type UnnumberedEvent, type WorkflowEvent } from '../../core/events';
import type { TranscriptMessage } from '../../core/messages';
import type { TokenUsage } from '../../core/model';
import type { ToolRun, TurnDecision } from '../../core/turn-result';

/** The `definition_changed` warning of a turn that found a redeployed definition. */
export function definitionChangedWarning(change: {
  workflow: string;
  pinnedVersion: string;
  deployedVersion: string;
  turn: number;
}): UnnumberedEvent {
  return {
    type: 'warning',
    code: 'definition_changed',
    message:
      `Workflow '${change.workflow}' was redeployed with a different definition ` +
      `(version ${change.pinnedVersion.slice(0, 12)} -> ${change.deployedVersion.slice(0, 12)}); ` +
      `this run continues on the new definition from turn ${change.turn}.`,
  };
}

/** The answers' texts a turn shows: every non-blank text, in order. */
export function answerTexts(texts: readonly string[]): string[] {
  return texts.filter((text) => text.trim() !== '');
}

/**
 * A completed turn's events after any redeploy warning: its warnings, one `agent_response` per
 * answer text, the agent's `executor_completed`, and the coordinator's step with `handoff_sent`
 * when the turn handed off.
 */
export function completedTurnEvents(turn: {
  agent: string;
  texts: readonly string[];
  warnings: readonly { code: string; message: string }[];
  decision: TurnDecision;
}): UnnumberedEvent[] {
  const { agent, decision } = turn;
  return [
    ...turn.warnings.map((warning): UnnumberedEvent => ({ type: 'warning', ...warning })),
    ...answerTexts(turn.texts).map((text): UnnumberedEvent => ({ type: 'agent_response', agent, text })),
    { type: 'executor_completed', executorId: agent },
    ...coordinatorStep(agent, decision),
  ];
}

/**
 * The events an agent-turn activity writes for what it did, after any redeploy warning: its
 * warnings, then in the order they happened one `agent_response` per answer text and a `tool_call`
 * and `tool_result` for each tool that ran, then the agent's `executor_completed` with the turn's
 * usage, and (when the turn ended with a decision, not a pause for approvals) the coordinator's
 * step. For a turn that ran no tool these are {@link completedTurnEvents}, with the usage.
 */
export function agentTurnEvents(turn: {
  agent: string;
  messages: readonly TranscriptMessage[];
  toolRuns: readonly ToolRun[];
  warnings: readonly { code: string; message: string }[];
  decision: TurnDecision | undefined;
  usage: TokenUsage;
}): UnnumberedEvent[] {
  const { agent } = turn;
  const runs = new Map(turn.toolRuns.map((run) => [run.callId, run]));
  const happened = turn.messages.flatMap((message): UnnumberedEvent[] => {
    if (message.role === 'assistant')
      return message.text.trim() === '' ? [] : [{ type: 'agent_response', agent, text: message.text }];
    const run = message.role === 'tool' ? runs.get(message.toolCallId) : undefined;
    if (!run) return [];
    const call = { agent, tool: run.tool, callId: run.callId };
    return [
      { type: 'tool_call', ...call, arguments: run.arguments },
      { type: 'tool_result', ...call, ok: run.ok },
    ];
  });
  const decision = turn.decision;
  return [
    ...turn.warnings.map((warning): UnnumberedEvent => ({ type: 'warning', ...warning })),
    ...happened,
    {
      type: 'executor_completed',
      executorId: agent,
      usage: {
        inputTokens: turn.usage.promptTokens,
        outputTokens: turn.usage.completionTokens,
        modelCalls: turn.usage.requests,
      },
    },
    ...(decision ? coordinatorStep(agent, decision) : []),
  ];
}

function coordinatorStep(agent: string, decision: TurnDecision): UnnumberedEvent[] {
  return [
    { type: 'executor_invoked', executorId: HANDOFF_COORDINATOR_ID },
    ...(decision.kind === 'handoff'
      ? [
          {
            type: 'handoff_sent',
            source: agent,
            target: decision.target,
            ...(decision.reason ? { reason: decision.reason } : {}),
          } satisfies UnnumberedEvent,
        ]
      : []),
    { type: 'executor_completed', executorId: HANDOFF_COORDINATOR_ID },
  ];
}

/** Numbers events from `firstSeq`, all stamped `timestamp`. */
export function numberEvents(
  events: readonly UnnumberedEvent[],
  firstSeq: number,
  timestamp: string,
): WorkflowEvent[] {
  // Typed by construction (the turn's own code builds them): no schema check per event.
  return events.map((event, index): WorkflowEvent => ({ ...event, seq: firstSeq + index, timestamp }));
}
