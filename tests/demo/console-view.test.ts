import type { WorkflowEvent } from '../../src/core/events';
import {
  approvalLines,
  bannerLines,
  eventLine,
  failedExecutorLine,
  historyLines,
  parseApprovalAnswer,
  problemLine,
} from '../../scripts/demo/console-view';

const at = { timestamp: '2026-01-01T00:00:00.000Z' };

describe('the demo console view', () => {
  it('prints executor events as the article does and nothing for the other events', () => {
    const events: WorkflowEvent[] = [
      { type: 'executor_invoked', seq: 2, ...at, executorId: 'coordinator_agent' },
      { type: 'handoff_sent', seq: 3, ...at, source: 'coordinator_agent', target: 'shipping_agent' },
      { type: 'executor_completed', seq: 4, ...at, executorId: 'coordinator_agent' },
      { type: 'agent_response', seq: 5, ...at, agent: 'shipping_agent', text: 'Delivered soon.' },
    ];
    expect(events.map(eventLine)).toEqual([
      '⚡ Starting: coordinator_agent',
      undefined,
      '✓ Completed: coordinator_agent',
      undefined,
    ]);
  });

  it('says an executor whose turn failed stopped, instead of completed', () => {
    expect(
      failedExecutorLine({ type: 'executor_completed', seq: 7, ...at, executorId: 'coordinator_agent' }),
    ).toBe('✗ Stopped: coordinator_agent (its turn failed)');
  });

  it('says how the run ended, with the stop reason when it is not the termination condition', () => {
    const status = (state: 'completed' | 'failed' | 'terminated', stopReason?: string): WorkflowEvent =>
      ({ type: 'status', seq: 9, ...at, state, ...(stopReason ? { stopReason } : {}) }) as WorkflowEvent;
    expect(eventLine(status('completed', 'terminated_by_condition'))).toBe('✅ Workflow completed!');
    expect(eventLine(status('completed', 'turn_limit'))).toBe(
      '✅ Workflow completed! (stop reason: turn_limit)',
    );
    expect(eventLine(status('failed', 'error'))).toBe('❌ Workflow failed (stop reason: error)');
    expect(eventLine(status('terminated', 'cancelled'))).toBe(
      '⏹ Workflow terminated (stop reason: cancelled)',
    );
  });

  it('frames the customer issue and numbers the history from 01, marking autonomous prompts', () => {
    expect(bannerLines('Where is my parcel?')[2]).toBe('Customer issue: Where is my parcel?');
    const lines = historyLines([
      { role: 'user', authorName: 'user', text: 'Where is my parcel?' },
      { role: 'user', authorName: 'user', text: 'User did not respond.', synthetic: true },
      { role: 'assistant', authorName: 'shipping_agent', text: 'On its way.' },
    ]);
    expect(lines.filter((line) => /^\d\d \[/.test(line))).toEqual([
      '01 [user]',
      '02 [user] (autonomous prompt)',
      '03 [shipping_agent]',
    ]);
    expect(lines.at(-1)).toBe('On its way.');
  });

  it('names the code of warnings and errors', () => {
    expect(problemLine({ type: 'warning', seq: 1, ...at, code: 'stale_reply', message: 'Ignored.' })).toBe(
      '⚠ warning stale_reply: Ignored.',
    );
  });

  it('shows a tool call to approve with its arguments, and reads y or n with a reason', () => {
    expect(
      approvalLines({
        type: 'request_info',
        seq: 9,
        ...at,
        requestId: 'r1',
        agent: 'refund_agent',
        prompt: 'refund_agent asks to run issue_refund.',
        kind: 'tool_approval',
        tool: { name: 'issue_refund', arguments: { orderId: '12345', amount: 49.9 }, callId: 'c1' },
      }),
    ).toEqual([
      '🔐 refund_agent asks to run issue_refund:',
      '   {',
      '     "orderId": "12345",',
      '     "amount": 49.9',
      '   }',
      'Approve? Type y, or n followed by a reason (e.g. "n amount too high").',
    ]);
    expect(parseApprovalAnswer('y')).toEqual({ approved: true });
    expect(parseApprovalAnswer('Yes')).toEqual({ approved: true });
    expect(parseApprovalAnswer('n amount too high')).toEqual({ approved: false, reason: 'amount too high' });
    expect(parseApprovalAnswer('no')).toEqual({ approved: false });
    expect(parseApprovalAnswer('maybe')).toBeUndefined();
  });
});
