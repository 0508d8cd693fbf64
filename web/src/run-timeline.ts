/**
 * A run's timeline, built from its durable events alone (no telemetry backend needed): agent turns,
 * tool calls, handoffs and waits for the human, each with where it starts and how long it lasts.
 * Turn events are stamped when the turn ends, so tool calls show as moments inside their turn.
 */
import type { WorkflowEvent } from 'durable-handoff/client';

/** One row of the timeline. Times are milliseconds since the run's first event. */
export interface TimelineEntry {
  kind: 'turn' | 'tool' | 'handoff' | 'wait';
  label: string;
  /** Who it belongs to: the agent, or the human for a wait. */
  lane: string;
  startMs: number;
  endMs: number;
  /** Extra words: a tool's failure, an approval's answer. */
  detail?: string;
}

/** The timeline of `events` (a run's events, in `seq` order), and the span of time it covers. */
export function runTimeline(events: readonly WorkflowEvent[]): { entries: TimelineEntry[]; totalMs: number } {
  const first = events[0];
  if (!first) return { entries: [], totalMs: 0 };
  const origin = Date.parse(first.timestamp);
  const at = (event: WorkflowEvent): number => Math.max(0, Date.parse(event.timestamp) - origin);
  const entries: TimelineEntry[] = [];
  const openTurns = new Map<string, { startMs: number; turn: number }>();
  const openTools = new Map<string, { startMs: number; agent: string; tool: string }>();
  const openRequests = new Map<string, { startMs: number; agent: string; approval: boolean }>();
  let turns = 0;
  for (const event of events) {
    switch (event.type) {
      case 'executor_invoked':
        if (event.executorId !== 'input-conversation' && event.executorId !== 'handoff-coordinator') {
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
      label: `reply to ${open.agent}`,
      lane: 'you',
      startMs: open.startMs,
      endMs: totalMs,
    });
  }
  return { entries: entries.sort((a, b) => a.startMs - b.startMs), totalMs };
}

/** A duration for people: `850 ms`, `4.2 s`, `3 min 5 s`, `2 h 10 min`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
