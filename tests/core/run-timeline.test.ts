import type { WorkflowEvent } from '../../src/core/events';
import { runTimeline } from '../../src/core/run-timeline';

/** Events numbered in order, each `seconds` after the run's start. */
function events(...items: [number, Record<string, unknown>][]): WorkflowEvent[] {
  const start = Date.parse('2026-12-01T10:00:00.000Z');
  return items.map(
    ([seconds, event], index) =>
      ({
        ...event,
        seq: index + 1,
        timestamp: new Date(start + seconds * 1000).toISOString(),
      }) as WorkflowEvent,
  );
}

describe('the run timeline', () => {
  it('shows each turn with its tokens and model calls, its tools, the handoff and the answered wait', () => {
    const timeline = runTimeline(
      events(
        [0, { type: 'started', workflow: 'w', version: 'v', mode: 'human_in_loop', startAgent: 'triage' }],
        [0, { type: 'executor_invoked', executorId: 'input-conversation' }],
        [0, { type: 'executor_completed', executorId: 'input-conversation' }],
        [0, { type: 'executor_invoked', executorId: 'triage' }],
        [
          2,
          {
            type: 'executor_completed',
            executorId: 'triage',
            usage: { inputTokens: 90, outputTokens: 5, modelCalls: 1 },
          },
        ],
        [2, { type: 'executor_invoked', executorId: 'handoff-coordinator' }],
        [2, { type: 'handoff_sent', source: 'triage', target: 'orders' }],
        [2, { type: 'executor_completed', executorId: 'handoff-coordinator' }],
        [2, { type: 'executor_invoked', executorId: 'orders' }],
        [5, { type: 'tool_call', agent: 'orders', tool: 'lookup_order', callId: 'c1', arguments: {} }],
        [5, { type: 'tool_result', agent: 'orders', tool: 'lookup_order', callId: 'c1', ok: false }],
        [5, { type: 'request_info', requestId: 'r1', agent: 'orders', prompt: 'Which order?' }],
        [
          5,
          {
            type: 'executor_completed',
            executorId: 'orders',
            usage: { inputTokens: 300, outputTokens: 40, modelCalls: 2 },
          },
        ],
        [65, { type: 'user_message', text: '12345', requestId: 'r1' }],
      ),
    );
    expect(timeline.totalMs).toBe(65_000);
    expect(timeline.entries).toEqual([
      {
        kind: 'turn',
        label: 'triage · turn 1',
        lane: 'triage',
        startMs: 0,
        endMs: 2000,
        usage: { inputTokens: 90, outputTokens: 5, modelCalls: 1 },
      },
      { kind: 'handoff', label: 'triage → orders', lane: 'triage', startMs: 2000, endMs: 2000 },
      {
        kind: 'turn',
        label: 'orders · turn 2',
        lane: 'orders',
        startMs: 2000,
        endMs: 5000,
        usage: { inputTokens: 300, outputTokens: 40, modelCalls: 2 },
      },
      { kind: 'tool', label: 'lookup_order', lane: 'orders', startMs: 5000, endMs: 5000, detail: 'failed' },
      { kind: 'wait', label: 'reply to orders', lane: 'you', startMs: 5000, endMs: 65_000 },
    ]);
  });

  it('runs a wait nobody answered to the end, marked timed out when the reply timed out', () => {
    const asked = [
      [0, { type: 'executor_invoked', executorId: 'refunds' }],
      [
        1,
        {
          type: 'request_info',
          requestId: 'r1',
          agent: 'refunds',
          prompt: 'Approve?',
          kind: 'tool_approval',
        },
      ],
      [1, { type: 'executor_completed', executorId: 'refunds' }],
    ] as [number, Record<string, unknown>][];
    const timedOut = runTimeline(
      events(...asked, [86_401, { type: 'status', state: 'completed', stopReason: 'reply_timeout' }]),
    );
    expect(timedOut.entries.at(-1)).toEqual({
      kind: 'wait',
      label: 'approval for refunds',
      lane: 'you',
      startMs: 1000,
      endMs: 86_401_000,
      detail: 'timed out',
    });
    const cancelled = runTimeline(
      events(...asked, [30, { type: 'status', state: 'terminated', stopReason: 'cancelled' }]),
    );
    expect(cancelled.entries.at(-1)).toEqual({
      kind: 'wait',
      label: 'approval for refunds',
      lane: 'you',
      startMs: 1000,
      endMs: 30_000,
    });
  });

  it('is empty for a run without events', () => {
    expect(runTimeline([])).toEqual({ entries: [], totalMs: 0 });
  });
});
