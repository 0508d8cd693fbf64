/**
 * The console line of one agent turn, so a developer sees what the run does (which agent, what it
 * decided, how long the model took, what it cost) and not only HTTP lines. Pure: the handler logs it.
 */
import type { TokenUsage } from '../../core/model';
import type { AgentTurnResult } from '../../core/turn-result';
import type { TurnTelemetry } from '../../telemetry/handoff-telemetry';

/** What {@link turnLogLine} describes. */
export interface TurnLogFacts {
  runId: string;
  agent: string;
  /** The turn's number in the run (1 for the first). */
  turn: number;
  /** Wall time of the turn: model calls and tools. */
  elapsedMs: number;
  result: AgentTurnResult;
  /** The turn's span: its ids end the line, so a log search and a trace lead to each other. */
  spans?: TurnTelemetry | undefined;
}

function traceSuffix(spans: TurnTelemetry | undefined): string {
  const ids = spans?.recording ? spans.ids() : undefined;
  return ids ? ` [trace_id=${ids.traceId} span_id=${ids.spanId}]` : '';
}

function usageText(usage: TokenUsage): string {
  const calls = `${usage.requests} model call${usage.requests === 1 ? '' : 's'}`;
  return `${calls}, ${usage.promptTokens} prompt + ${usage.completionTokens} completion tokens`;
}

function outcome(result: AgentTurnResult): string {
  switch (result.kind) {
    case 'terminated_before_turn':
      return 'not run: the termination condition already held';
    case 'awaiting_approval':
      return `waits for approval of ${result.pending.length} tool call${result.pending.length === 1 ? '' : 's'}`;
    case 'completed':
      if (result.decision.kind === 'handoff') return `handed off to ${result.decision.target}`;
      return result.terminate ? 'answered; the termination condition ends the run' : 'answered';
  }
}

/**
 * e.g. `Agent turn 2 of run 5f0c…: refund_agent answered in 1840 ms (1 model call, 512 prompt + 48
 * completion tokens)`.
 */
export function turnLogLine(facts: TurnLogFacts): string {
  const { result } = facts;
  const cost = result.kind === 'terminated_before_turn' ? '' : ` (${usageText(result.usage)})`;
  return `Agent turn ${facts.turn} of run ${facts.runId}: ${facts.agent} ${outcome(result)} in ${Math.round(facts.elapsedMs)} ms${cost}${traceSuffix(facts.spans)}`;
}
