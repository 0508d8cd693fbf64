/**
 * The waits for a human that events handed to an activity end: each answer among them (a reply's
 * `user_message`, a `tool_approval`) with the `request_info` it answers, read back from the run
 * store (the orchestrator stored it before it waited), and at a run's end the request it left
 * unanswered (the reply timed out, or the run was cancelled while it waited).
 *
 * Each wait is reported once. An agent turn reports the waits its events end when it commits (once
 * per turn). A sync or a finish, which have no commit, may run again after a crash with the same
 * events: they read the store before they write, and leave out an answer already stored, which an
 * earlier attempt (or the turn it was first handed to) stored and reported. A crash between the
 * write and the report loses that wait's span: at most once, never twice. Only read when the run
 * has a trace (telemetry was on at start).
 */
import { requestKindOf, type WorkflowEvent, type WorkflowEventOf } from '../../core/events';
import type { RunTrace } from '../wire/run-trace';
import type { RunStore } from '../store/run-store';
import type { HandoffTelemetry, HumanWait } from '../../telemetry/handoff-telemetry';

/** How far before the first answer its request may be (warnings about ignored replies come between). */
const LOOK_BACK = 24;

type ReadEvents = (afterSeq: number, limit: number) => Promise<WorkflowEvent[]>;
type RunOfWaits = { trace: RunTrace | undefined; runId: string; workflow?: string | undefined; key: string };

function isAnswer(event: WorkflowEvent): event is WorkflowEventOf<'user_message' | 'tool_approval'> {
  return (event.type === 'user_message' && event.requestId !== undefined) || event.type === 'tool_approval';
}

function waitOf(
  request: WorkflowEventOf<'request_info'>,
  until: string,
  outcome: HumanWait['outcome'],
): HumanWait {
  return {
    agent: request.agent,
    requestId: request.requestId,
    kind: requestKindOf(request),
    since: new Date(request.timestamp),
    until: new Date(until),
    outcome,
  };
}

/**
 * The waits `events` end, oldest first, read from `stored` (the run's events before and among
 * them): each answer with its request and, with `closing`, the request still open at the `status`
 * event that stopped the run. With `storedBefore`, answers found in `stored` are left out (see the
 * module's comment).
 */
export function humanWaitsOf(
  events: readonly WorkflowEvent[],
  stored: readonly WorkflowEvent[],
  options: { closing?: boolean; storedBefore?: boolean } = {},
): HumanWait[] {
  const already = new Set(options.storedBefore ? stored.filter(isAnswer).map((event) => event.seq) : []);
  const requests = new Map<string, WorkflowEventOf<'request_info'>>();
  const waits: HumanWait[] = [];
  let open: WorkflowEventOf<'request_info'> | undefined;
  const seen = new Set<number>();
  const stop = events.find((event) => event.type === 'status' && event.stopReason !== undefined);
  for (const event of [...stored, ...events].sort((a, b) => a.seq - b.seq)) {
    if (stop && event.seq >= stop.seq) break;
    if (seen.has(event.seq)) continue;
    seen.add(event.seq);
    if (event.type === 'request_info') {
      requests.set(event.requestId, event);
      open = event;
    } else if (isAnswer(event)) {
      const request = requests.get(event.requestId!);
      if (event.requestId === open?.requestId) open = undefined;
      if (request && !already.has(event.seq) && events.some((handed) => handed.seq === event.seq)) {
        waits.push(waitOf(request, event.timestamp, 'answered'));
      }
    }
  }
  if (options.closing && stop?.type === 'status' && open) {
    waits.push(
      waitOf(open, stop.timestamp, stop.stopReason === 'reply_timeout' ? 'timed_out' : 'unanswered'),
    );
  }
  return waits;
}

/** The stored events a report on `events` needs: from {@link LOOK_BACK} before the first to `through`. */
async function readAround(events: readonly WorkflowEvent[], through: number, read: ReadEvents) {
  const first = Math.min(through, ...events.map((event) => event.seq));
  const from = Math.max(0, first - 1 - LOOK_BACK);
  return read(from, through - from);
}

/**
 * Reports the waits `events` end (spans and the wait-time metric), after the activity committed
 * them (an agent turn). Telemetry never fails the activity: a failed read is a warning.
 */
export async function reportHumanWaits(
  telemetry: HandoffTelemetry,
  run: RunOfWaits,
  events: readonly WorkflowEvent[],
  store: RunStore,
  warn: (message: string) => void,
): Promise<void> {
  if (run.trace === undefined || !events.some(isAnswer)) return;
  try {
    const last = Math.max(...events.map((event) => event.seq));
    const stored = await readAround(events, last, (after, limit) => store.readEvents(run.key, after, limit));
    for (const wait of humanWaitsOf(events, stored)) telemetry.humanWait(wait, run);
  } catch (error) {
    warn(`Telemetry: the human waits of run '${run.runId}' could not be read: ${String(error)}`);
  }
}

/**
 * For an activity without a commit (a sync, a finish): reads, before `events` are stored, what their
 * report will hold, and returns the report to make once they are. With `closing` (a finish, whose
 * `output` event has seq `outputSeq`): the wait left unanswered too, and `reportEnd`, false when an
 * earlier attempt stored the `output` event (and so reported the run's end and its waits). Nothing
 * is read without a trace (nor is anything then known to be reported already).
 */
export async function humanWaitsToReport(
  telemetry: HandoffTelemetry,
  run: RunOfWaits,
  events: readonly WorkflowEvent[],
  store: RunStore,
  warn: (message: string) => void,
  closing?: { outputSeq: number },
): Promise<{ report(): void; reportEnd: boolean }> {
  const nothing = () => undefined;
  if (run.trace === undefined || (!closing && !events.some(isAnswer)))
    return { report: nothing, reportEnd: true };
  try {
    const through = closing?.outputSeq ?? Math.max(...events.map((event) => event.seq));
    const stored = await readAround(events, through, (after, limit) =>
      store.readEvents(run.key, after, limit),
    );
    if (closing && stored.some((event) => event.type === 'output'))
      return { report: nothing, reportEnd: false };
    const waits = humanWaitsOf(events, stored, { closing: closing !== undefined, storedBefore: true });
    return {
      report: () => {
        for (const wait of waits) telemetry.humanWait(wait, run);
      },
      reportEnd: true,
    };
  } catch (error) {
    warn(`Telemetry: the human waits of run '${run.runId}' could not be read: ${String(error)}`);
    return { report: nothing, reportEnd: true };
  }
}
