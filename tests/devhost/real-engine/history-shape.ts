/**
 * The part of an instance's history (as the management API shows it with showHistory and
 * showHistoryOutput) that both engines must agree on: event types, names, inputs, results and
 * statuses, without times, ids and the fields only one engine writes (devhost/README.md,
 * "Emulated and real engine compared").
 */

/** Fields compared, per event. Times (Timestamp, ScheduledTime, FireAt) differ run to run. */
const COMPARED = ['EventType', 'FunctionName', 'Name', 'OrchestrationStatus', 'Result', 'Reason'] as const;

/** One event reduced to what is compared. */
export type ComparedEvent = Partial<Record<(typeof COMPARED)[number], unknown>>;

/** ExecutionStarted's input is compared too (both engines store it). */
export function comparedHistory(events: readonly Record<string, unknown>[]): ComparedEvent[] {
  return events.map((event) => {
    const out: ComparedEvent & { Input?: unknown } = {};
    for (const field of COMPARED) {
      if (event[field] !== undefined && event[field] !== null) out[field] = event[field];
    }
    if (event.EventType === 'ExecutionStarted') out.Input = event.Input;
    if (out.Result !== undefined) out.Result = withoutTimes(out.Result);
    // A failure's Reason embeds the serialized .NET exception, whose type names the host process.
    if (typeof out.Result === 'string' && out.Result.includes('"$type"')) out.Result = firstLine(out.Result);
    if (typeof out.Reason === 'string') out.Reason = firstLine(out.Reason);
    return out;
  });
}

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/** An orchestrator's clock (currentUtcDateTime) in a result differs run to run: `<time>`. */
function withoutTimes(value: unknown): unknown {
  if (typeof value === 'string') return ISO_TIME.test(value) ? '<time>' : value;
  if (Array.isArray(value)) return value.map(withoutTimes);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, withoutTimes(inner)]));
  }
  return value;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!;
}
