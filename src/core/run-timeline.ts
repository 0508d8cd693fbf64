/**
 * A run's timeline, built from its durable events alone (no telemetry backend needed): agent turns
 * with their tokens and model calls, tool calls, handoffs and waits for the human, each with where it
 * starts and how long it lasts. The chat page draws it; the status API returns it
 * (`?timeline=true`). Turn events are stamped when the turn ends, so tool calls show as moments
 * inside their turn.
 */
import { z } from 'zod';
import { HANDOFF_COORDINATOR_ID, INPUT_EXECUTOR_ID, TurnUsageSchema, type WorkflowEvent } from './events';

/** One row of the timeline. Times are milliseconds since the run's first event. */
export const TimelineEntrySchema = z.object({
  kind: z.enum(['turn', 'tool', 'handoff', 'wait']),
  label: z.string(),
  /** Who it belongs to: the agent, or `you` (the human) for a wait. */
  lane: z.string(),
  startMs: z.number().nonnegative(),
  endMs: z.number().nonnegative(),
  /** Extra words: a tool's failure, an approval's answer, a wait that timed out. */
  detail: z.string().optional(),
  /** A turn's tokens and model calls (turns of builds before the usage was recorded have none). */
  usage: TurnUsageSchema.optional(),
});
/** See {@link TimelineEntrySchema}. */
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;

/** A run's timeline: its rows by start, and the time the run's events cover. */
export const RunTimelineSchema = z.object({
  entries: z.array(TimelineEntrySchema),
  totalMs: z.number().nonnegative(),
});
/** See {@link RunTimelineSchema}. */
export type RunTimeline = z.infer<typeof RunTimelineSchema>;

/** The timeline of `events` (a run's events, in `seq` order). */
export function runTimeline(events: readonly WorkflowEvent[]): RunTimeline {
  const first = events[0];
  if (!first) return { entries: [], totalMs: 0 };
  const origin = Date.parse(first.timestamp);
  const at = (event: WorkflowEvent): number => Math.max(0, Date.parse(event.timestamp) - origin);
  const entries: TimelineEntry[] = [];
  const openTurns = new Map<string, { startMs: number; turn: number }>();
  const openTools = new Map<string, { startMs: number; agent: string; tool: string }>();
  const openRequests = new Map<string, { startMs: number; agent: string; approval: boolean }>();
  let turns = 0;
  let timedOut = false;
  for (const event of events) {
    switch (event.type) {
      case 'executor_invoked':
        if (event.executorId !== INPUT_EXECUTOR_ID && event.executorId !== HANDOFF_COORDINATOR_ID) {
          turns += 1;
          openTurns.set(event.executorId, { startMs: at(event), turn: turns });
        }
        break;
      case 'executor_completed': {
        const open = openTurns.get(event.executorId);
        if (open) {
          openTurns.delete(event.executorId);
          entries.push({
            kind: 'turn',
            label: `${event.executorId} · turn ${open.turn}`,
            lane: event.executorId,
            startMs: open.startMs,
            endMs: at(event),
            ...(event.usage ? { usage: event.usage } : {}),
          });
        }
        break;
      }
      case 'tool_call':
        openTools.set(event.callId, { startMs: at(event), agent: event.agent, tool: event.tool });
        break;
      case 'tool_result': {
        const open = openTools.get(event.callId);
        openTools.delete(event.callId);
        entries.push({
          kind: 'tool',
          label: event.tool,
          lane: event.agent,
          startMs: open?.startMs ?? at(event),
          endMs: at(event),
          ...(event.ok ? {} : { detail: 'failed' }),
        });
        break;
      }
      case 'handoff_sent':
        entries.push({
          kind: 'handoff',
          label: `${event.source} → ${event.target}`,
          lane: event.source,
          startMs: at(event),
          endMs: at(event),
        });
        break;
      case 'request_info':
        openRequests.set(event.requestId, {
          startMs: at(event),
          agent: event.agent,
          approval: event.kind === 'tool_approval',
        });
        break;
      case 'user_message':
      case 'tool_approval': {
        const open = event.requestId === undefined ? undefined : openRequests.get(event.requestId);
        if (!open || event.requestId === undefined) break;
        openRequests.delete(event.requestId);
        entries.push({
          kind: 'wait',
          label: open.approval ? `approval for ${open.agent}` : `reply to ${open.agent}`,
          lane: 'you',
          startMs: open.startMs,
          endMs: at(event),
          ...(event.type === 'tool_approval' ? { detail: event.approved ? 'approved' : 'rejected' } : {}),
        });
        break;
      }
      case 'status':
        if (event.stopReason === 'reply_timeout') timedOut = true;
        break;
      default:
        break;
    }
  }
  const last = events.at(-1)!;
  const totalMs = Math.max(at(last), ...entries.map((entry) => entry.endMs));
  // A turn or a wait still open when the events end runs to the end.
  for (const [agent, open] of openTurns) {
    entries.push({
      kind: 'turn',
      label: `${agent} · turn ${open.turn}`,
      lane: agent,
      startMs: open.startMs,
      endMs: totalMs,
    });
  }
  for (const open of openRequests.values()) {
    entries.push({
      kind: 'wait',
      label: open.approval ? `approval for ${open.agent}` : `reply to ${open.agent}`,
      lane: 'you',
      startMs: open.startMs,
      endMs: totalMs,
      ...(timedOut ? { detail: 'timed out' } : {}),
    });
  }
  return { entries: entries.sort((a, b) => a.startMs - b.startMs), totalMs };
}
