/**
 * The waits for a human that an agent turn's input ends: each answer among its events (a reply's
 * `user_message`, a `tool_approval`) with the `request_info` it answers, read back from the run
 * store (the orchestrator stored it before it waited). Only read when telemetry records.
 */
import { requestKindOf, type WorkflowEvent } from '../../core/events';
import type { HumanWait } from '../../telemetry/handoff-telemetry';

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
