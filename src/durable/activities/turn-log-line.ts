/**
 * The log line of one agent turn attempt: one JSON object (run, agent, turn, outcome, tokens,
 * duration) with the ids of the turn's span, so a log search and a trace lead to each other.
 */
import type { TokenUsage } from '../../core/model';
import type { TurnTelemetry } from '../../telemetry/handoff-telemetry';

/** What {@link turnLogLine} reports. */
export interface TurnLogFields {
  runId: string;
  agent: string;
  turn: number;
  outcome: string;
  usage?: TokenUsage | undefined;
  spans?: TurnTelemetry | undefined;
}

/** `agent turn {...}`: the turn's fields as JSON, with `trace_id`/`span_id` when a span records it. */
export function turnLogLine(fields: TurnLogFields): string {
  const ids = fields.spans?.recording ? fields.spans.ids() : undefined;
  return `agent turn ${JSON.stringify({
    runId: fields.runId,
    agent: fields.agent,
    turn: fields.turn,
    outcome: fields.outcome,
    ...(fields.usage
      ? { inputTokens: fields.usage.promptTokens, outputTokens: fields.usage.completionTokens }
      : {}),
    ...(fields.spans ? { durationMs: Math.round(fields.spans.elapsedMs()) } : {}),
    ...(ids ? { trace_id: ids.traceId, span_id: ids.spanId } : {}),
  })}`;
}
