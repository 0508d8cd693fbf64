import type { WorkflowEvent } from '../../../src/core/events';
import { afterCommittedTurn, closingInCommit } from '../../../src/durable/activities/closing-events';
import type { FinishRunInput } from '../../../src/durable/wire/finish-run-activity';

const at = '2026-11-24T09:00:00.000Z';
const usage = { promptTokens: 1, completionTokens: 1, totalTokens: 2, requests: 1 };

function input(events: WorkflowEvent[], unlessCommitted: number[]): FinishRunInput {
  return {
    schemaVersion: 2,
    runId: 'r',
    knownMessages: 1,
    events,
    handledReplyIds: [],
    output: { seq: events.at(-1)!.seq + 1, timestamp: at, stopReason: 'error' },
    abandonedTurn: { firstSeq: 6, unlessCommitted },
  };
}

describe('closing events after a turn that committed while the run stopped', () => {
  it("follow the turn's events without a gap, without the agent's end the turn wrote itself", () => {
    // Handed again: seq 5 (executor_invoked); closing events from the turn's first seq, 6.
    const events: WorkflowEvent[] = [
      { type: 'executor_invoked', seq: 5, timestamp: at, executorId: 'shipping_agent' },
      { type: 'error', seq: 6, timestamp: at, code: 'rate_limited', message: 'Too many requests.' },
      { type: 'executor_completed', seq: 7, timestamp: at, executorId: 'shipping_agent' },
      { type: 'status', seq: 8, timestamp: at, state: 'failed', stopReason: 'error' },
    ];
    const turn = {
      output: {
        ok: true as const,
        turn: {
          kind: 'completed' as const,
          messageCount: 1,
          events: 4,
          decision: { kind: 'respond' as const },
          terminate: false,
          usage,
        },
      },
      messages: [],
    };

    const closing = afterCommittedTurn(input(events, [7]), { firstSeq: 6, unlessCommitted: [7] }, turn);

    expect(closing.events.map((event) => [event.seq, event.type])).toEqual([
      [5, 'executor_invoked'],
      [10, 'error'],
      [11, 'status'],
    ]);
    expect(closing.outputSeq).toBe(12);
  });
});

describe('the closing events a turn that ends the run stores in its commit', () => {
  const conversation = [{ role: 'user' as const, authorName: 'user', text: 'Hi' }];

  it('are the status and the output a finish writes, under the two seqs after the turn', () => {
    expect(closingInCommit({ seq: 9, timestamp: at, conversation, rowsBefore: 8 })).toEqual([
      { type: 'status', seq: 9, timestamp: at, state: 'completed', stopReason: 'terminated_by_condition' },
      { type: 'output', seq: 10, timestamp: at, stopReason: 'terminated_by_condition', conversation },
    ]);
  });

  it('are left to the finish when the commit has no room for them', () => {
    expect(closingInCommit({ seq: 9, timestamp: at, conversation, rowsBefore: 97 })).toHaveLength(2);
    expect(closingInCommit({ seq: 9, timestamp: at, conversation, rowsBefore: 98 })).toBeUndefined();
    const long = [{ role: 'user' as const, authorName: 'user', text: 'x'.repeat(300_000) }];
    expect(closingInCommit({ seq: 9, timestamp: at, conversation: long, rowsBefore: 8 })).toBeUndefined();
  });
});
