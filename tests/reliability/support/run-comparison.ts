/**
 * Compares a finished run with its story: the final status, the conversation the status shows,
 * and the event log (sound numbering, the same messages and handoffs in the same order).
 */
import { conversationOfEvents, eventLogProblems, runEvents, runStatus, type ApiMessage } from './run-api';
import type { DrivenRun } from './run-driver';
import { expectedConversation, expectedHandoffs, expectedToolRuns } from './run-stories';

/** What differs between a run and its story. */
export interface RunComparison {
  runId: string;
  /** Expected messages missing (from the status conversation or the event log, whichever lacks more). */
  lost: number;
  /** Messages or event numbers present more often than expected. */
  duplicated: number;
  /** `warning` events by code (e.g. `stale_reply` for a reply sent again after a lost answer). */
  warnings: Record<string, number>;
  problems: string[];
}

/** Counts of `expected` items missing from `actual` and of `actual` items beyond `expected`. */
export function multisetDifference(
  expected: readonly ApiMessage[],
  actual: readonly ApiMessage[],
): { missing: number; extra: number } {
  const counts = new Map<string, number>();
  for (const message of expected) {
    const key = JSON.stringify(message);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let extra = 0;
  for (const message of actual) {
    const key = JSON.stringify(message);
    const left = counts.get(key) ?? 0;
    if (left > 0) counts.set(key, left - 1);
    else extra += 1;
  }
  const missing = [...counts.values()].reduce((sum, n) => sum + n, 0);
  return { missing, extra };
}

/** Reads the run's status and events through the API and compares them with its story. */
export async function compareRun(api: string, run: DrivenRun): Promise<RunComparison> {
  const expected = expectedConversation(run.story);
  const problems: string[] = [];
  const status = await runStatus(api, run);
  if (status.state !== 'completed' || status.stopReason !== 'terminated_by_condition') {
    problems.push(
      `${run.runId}: ended ${status.state} (${status.stopReason ?? 'no stop reason'})` +
        `${status.error ? `: ${status.error.code}: ${status.error.message}` : ''}`,
    );
  }
  const events = await runEvents(api, run);
  const fromEvents = conversationOfEvents(events);
  const statusDiff = multisetDifference(expected, status.conversation);
  const eventsDiff = multisetDifference(expected, fromEvents);
  const duplicateSeqs = events.length - new Set(events.map((e) => e.seq)).size;

  const describe = (where: string, actual: readonly ApiMessage[]): void => {
    if (JSON.stringify(actual) === JSON.stringify(expected)) return;
    problems.push(
      `${run.runId}: the ${where} differs from the story.\n  expected: ${expected.map((m) => `${m.authorName}: ${m.text}`).join(' | ')}` +
        `\n  actual:   ${actual.map((m) => `${m.authorName}: ${m.text}`).join(' | ')}`,
    );
  };
  describe('status conversation', status.conversation);
  describe('event log conversation', fromEvents);
  for (const problem of eventLogProblems(events)) problems.push(`${run.runId}: event log: ${problem}`);
  const handoffs = events.flatMap((e) => (e.type === 'handoff_sent' ? [`${e.source}->${e.target}`] : []));
  if (JSON.stringify(handoffs) !== JSON.stringify(expectedHandoffs(run.story))) {
    problems.push(
      `${run.runId}: handoffs ${handoffs.join(', ')}; the story has ${expectedHandoffs(run.story).join(', ')}`,
    );
  }
  // Every tool call that ran shows one tool_call and one tool_result, in the story's order.
  const toolCalls = events.flatMap((e) => (e.type === 'tool_call' ? [e] : []));
  const toolResults = events.flatMap((e) => (e.type === 'tool_result' ? [e] : []));
  const ran = toolCalls.map((e) => `${e.agent}:${e.tool}`);
  if (JSON.stringify(ran) !== JSON.stringify(expectedToolRuns(run.story))) {
    problems.push(
      `${run.runId}: tools ran ${ran.join(', ')}; the story runs ${expectedToolRuns(run.story).join(', ')}`,
    );
  }
  const callIds = toolCalls.map((e) => e.callId);
  const duplicateToolEvents =
    callIds.length - new Set(callIds).size + Math.max(0, toolResults.length - toolCalls.length);
  if (JSON.stringify(toolResults.map((e) => e.callId)) !== JSON.stringify(callIds)) {
    problems.push(
      `${run.runId}: tool_result events ${toolResults.map((e) => e.callId).join(', ')} for tool_call ${callIds.join(', ')}`,
    );
  }
  const warnings: Record<string, number> = {};
  for (const event of events)
    if (event.type === 'warning') warnings[event.code] = (warnings[event.code] ?? 0) + 1;
  return {
    runId: run.runId,
    warnings,
    lost: Math.max(statusDiff.missing, eventsDiff.missing),
    duplicated: Math.max(statusDiff.extra, eventsDiff.extra) + duplicateSeqs + duplicateToolEvents,
    problems,
  };
}
