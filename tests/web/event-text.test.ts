import { noteFor, outcomeOf, progressText } from '../../web/src/event-text';

const T = '2026-11-24T09:00:00.000Z';

describe('progressText', () => {
  it('says which agent is working, but not for the workflow steps between agents', () => {
    expect(
      progressText({ type: 'executor_invoked', seq: 4, timestamp: T, executorId: 'coordinator_agent' }),
    ).toBe('coordinator_agent is working…');
    expect(
      progressText({ type: 'executor_invoked', seq: 2, timestamp: T, executorId: 'input-conversation' }),
    ).toBeUndefined();
    expect(
      progressText({ type: 'executor_invoked', seq: 6, timestamp: T, executorId: 'handoff-coordinator' }),
    ).toBeUndefined();
  });

  it('announces a handoff with its source and target', () => {
    expect(
      progressText({
        type: 'handoff_sent',
        seq: 7,
        timestamp: T,
        source: 'coordinator_agent',
        target: 'shipping_agent',
        reason: undefined,
      }),
    ).toBe('Handed off: coordinator_agent → shipping_agent');
  });

  it('says who waits for a reply', () => {
    expect(
      progressText({
        type: 'request_info',
        seq: 9,
        timestamp: T,
        requestId: 'r',
        agent: 'refund_agent',
        prompt: '?',
      }),
    ).toBe('refund_agent is waiting for your reply.');
  });
});

describe('noteFor', () => {
  it('notes a handoff with its reason, and warnings and errors with their messages', () => {
    expect(
      noteFor({
        type: 'handoff_sent',
        seq: 7,
        timestamp: T,
        source: 'a',
        target: 'b',
        reason: 'lost parcel',
      }),
    ).toEqual({ text: 'Handed off: a → b (lost parcel)', tone: 'info' });
    expect(noteFor({ type: 'warning', seq: 8, timestamp: T, code: 'w', message: 'Careful.' })).toEqual({
      text: 'Warning: Careful.',
      tone: 'warning',
    });
    expect(
      noteFor({ type: 'error', seq: 9, timestamp: T, code: 'bad_request', message: 'Refused.' }),
    ).toEqual({
      text: 'Error (bad_request): Refused.',
      tone: 'error',
    });
    expect(noteFor({ type: 'agent_response', seq: 5, timestamp: T, agent: 'a', text: 'hi' })).toBeUndefined();
  });
});

describe('outcomeOf', () => {
  it('describes a completed run by its stop reason', () => {
    expect(
      outcomeOf({ state: 'completed', stopReason: 'terminated_by_condition', error: undefined }),
    ).toEqual({
      state: 'completed',
      title: 'Conversation completed',
      detail: "The workflow's end condition was met (stopReason: terminated_by_condition)",
    });
  });

  it('describes a failed run with its error and a stopped one as cancelled', () => {
    expect(
      outcomeOf({
        state: 'failed',
        stopReason: 'error',
        error: { code: 'bad_request', message: 'Refused.' },
      }),
    ).toMatchObject({
      title: 'Conversation failed',
      detail: 'An error ended the run (stopReason: error). Error bad_request: Refused.',
    });
    expect(outcomeOf({ state: 'terminated', stopReason: 'cancelled', error: undefined }).detail).toBe(
      'The run was stopped (stopReason: cancelled)',
    );
  });
});

describe('tool events on the page', () => {
  it('asks for an approval, says which tool runs, and notes the answer and the tools that ran', () => {
    expect(
      progressText({
        type: 'request_info',
        seq: 9,
        timestamp: T,
        requestId: 'r1',
        agent: 'refund_agent',
        prompt: 'p',
        kind: 'tool_approval',
        tool: { name: 'issue_refund', arguments: {}, callId: 'c1' },
      }),
    ).toBe('refund_agent needs your approval to run issue_refund.');
    const call = { seq: 10, timestamp: T, agent: 'refund_agent', tool: 'issue_refund', callId: 'c1' };
    expect(progressText({ type: 'tool_call', ...call, arguments: {} })).toBe(
      'refund_agent is running issue_refund…',
    );
    expect(noteFor({ type: 'tool_result', ...call, ok: true })).toEqual({
      text: 'refund_agent used issue_refund',
      tone: 'info',
    });
    expect(noteFor({ type: 'tool_result', ...call, ok: false })).toBeUndefined();
    expect(
      noteFor({ type: 'tool_approval', ...call, requestId: 'r1', approved: false, reason: 'Too much' }),
    ).toEqual({ text: 'You rejected issue_refund (Too much)', tone: 'info' });
  });
});
