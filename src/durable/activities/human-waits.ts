/**
 * The waits for a human that events handed to an activity end: each answer among them (a reply's
 * `user_message`, a `tool_approval`) with the `request_info` it answers, read back from the run
 * store (the orchestrator stored it before it waited). An answer is handed over once, to whichever
 * activity stores it first (an agent turn, a sync at the start of a generation, the finish), so
 * that activity reports the wait. Only read when the run has a trace (telemetry was on at start).
 */
import { requestKindOf, type WorkflowEvent } from '../../core/events';
import type { RunTrace } from '../wire/run-trace';
import type { RunStore } from '../store/run-store';
import type { HandoffTelemetry, HumanWait } from '../../telemetry/handoff-telemetry';

/** How far before the first answer its request may be (warnings about ignored replies come between). */
const LOOK_BACK = 24;

/** The waits `events` end, oldest first; `read(afterSeq, limit)` reads stored events. */
export async function humanWaitsOf(
  events: readonly WorkflowEvent[],
  read: (afterSeq: number, limit: number) => Promise<WorkflowEvent[]>,
): Promise<HumanWait[]> {
  const answers = events.flatMap((event) =>
    (event.type === 'user_message' && event.requestId !== undefined) || event.type === 'tool_approval'
      ? [{ requestId: event.requestId!, at: event.timestamp, seq: event.seq }]
      : [],
  );
  if (answers.length === 0) return [];
  const first = Math.min(...answers.map((answer) => answer.seq));
  const last = Math.max(...answers.map((answer) => answer.seq));
  const from = Math.max(0, first - LOOK_BACK);
  const stored = await read(from, last - from);
  const requests = new Map(
    [...stored, ...events].flatMap((event) =>
      event.type === 'request_info' ? [[event.requestId, event]] : [],
    ),
  );
  return answers.flatMap((answer): HumanWait[] => {
    const request = requests.get(answer.requestId);
    return request
      ? [
          {
            agent: request.agent,
            requestId: answer.requestId,
            kind: requestKindOf(request),
            since: new Date(request.timestamp),
            until: new Date(answer.at),
          },
        ]
      : [];
  });
}

/**
 * Reports the waits `events` end (spans and the wait-time metric). Telemetry never fails the
 * activity: a failed read is a warning.
 */
export async function reportHumanWaits(
  telemetry: HandoffTelemetry,
  run: { trace: RunTrace | undefined; runId: string; workflow?: string | undefined; key: string },
  events: readonly WorkflowEvent[],
  store: RunStore,
  warn: (message: string) => void,
): Promise<void> {
  if (run.trace === undefined) return;
  try {
    const waits = await humanWaitsOf(events, (after, limit) => store.readEvents(run.key, after, limit));
    for (const wait of waits) telemetry.humanWait(wait, run);
  } catch (error) {
    warn(`Telemetry: the human waits of run '${run.runId}' could not be read: ${String(error)}`);
  }
}
