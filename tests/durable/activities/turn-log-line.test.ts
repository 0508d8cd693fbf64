import { turnLogLine } from '../../../src/durable/activities/turn-log-line';

const usage = { promptTokens: 512, completionTokens: 48, totalTokens: 560, requests: 1 };

describe('the console line of an agent turn', () => {
  it('names the run, the turn, the agent, the handoff target, the time and the tokens', () => {
    const line = turnLogLine({
      runId: 'run-1',
      agent: 'coordinator_agent',
      turn: 1,
      elapsedMs: 812.4,
      result: {
        kind: 'completed',
        messages: [],
        decision: { kind: 'handoff', target: 'refund_agent' },
        terminate: false,
        usage,
        warnings: [],
      },
    });
    expect(line).toBe(
      'Agent turn 1 of run run-1: coordinator_agent handed off to refund_agent in 812 ms (1 model call, 512 prompt + 48 completion tokens)',
    );
  });

  it('says when an answer ends the run, and when a turn waits for approvals', () => {
    const answered = turnLogLine({
      runId: 'r',
      agent: 'refund_agent',
      turn: 2,
      elapsedMs: 10,
      result: {
        kind: 'completed',
        messages: [],
        decision: { kind: 'respond' },
        terminate: true,
        usage: { ...usage, requests: 2 },
        warnings: [],
      },
    });
    expect(answered).toContain(
      'refund_agent answered; the termination condition ends the run in 10 ms (2 model calls',
    );
    const paused = turnLogLine({
      runId: 'r',
      agent: 'refund_agent',
      turn: 3,
      elapsedMs: 5,
      result: {
        kind: 'awaiting_approval',
        messages: [],
        pending: [{ callId: 'c1', tool: 'issue_refund', arguments: {} }],
        usage,
        warnings: [],
      },
    });
    expect(paused).toContain('refund_agent waits for approval of 1 tool call in 5 ms');
  });
});
