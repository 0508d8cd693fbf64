import { noteFor, outcomeOf, progressText } from '../../web/src/event-text';

const T = '2026-11-24T09:00:00.000Z';

describe('progressText', () => {
  it('says which agent is working, but not for the workflow steps between agents', () => {
    expect(
      progressText({ type: 'executor_invoked', seq: 4, timestamp: T, executorId: 'coordinator_agent' }),
    ).toBe('Coordinator agent is working…');
    expect(
      progressText({ type: 'executor_invoked', seq: 2, timestamp: T, executorId: 'input-conversation' }),
    ).toBeUndefined();
    expect(
      progressText({ type: 'executor_invoked', seq: 6, timestamp: T, executorId: 'handoff-coordinator' }),
    ).toBeUndefined();
  });

  it('says the assistant is not answering and which retry comes, keeping the retry out of the conversation', () => {
    const warning = {
      type: 'warning' as const,
      seq: 5,
      timestamp: T,
      code: 'model_retry',
      message:
        'The model is not answering (server_error: the model answered HTTP 503); the turn is tried again in 2 s (attempt 2 of 5).',
      retry: { attempt: 2, of: 5, inMs: 2000 },
    };
    expect(progressText(warning)).toBe('The assistant is not answering, retrying (2/5)…');
    expect(noteFor(warning)).toBeUndefined();
    const { retry: _retry, ...other } = warning;
    expect(progressText(other)).toBeUndefined();
    expect(noteFor(other)).toEqual({ text: `Warning: ${warning.message}`, tone: 'warning' });
  });

  it('leaves a cancel to the end-state panel: no note saying "terminated through the API"', () => {
    expect(
      noteFor({
        type: 'warning',
        seq: 9,
        timestamp: T,
        code: 'cancelled',
        message: 'The run was cancelled: terminated through the API',
      }),
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
    ).toBe('Handed off: Coordinator agent → Shipping agent');
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
    ).toBe('Refund agent is waiting for your reply.');
  });
});

describe('noteFor', () => {
  it('notes a handoff with its reason and warnings with their messages; an error is left to the end-state panel', () => {
    expect(
      noteFor({
        type: 'handoff_sent',
        seq: 7,
        timestamp: T,
        source: 'a',
        target: 'b',
        reason: 'lost parcel',
      }),
    ).toEqual({ text: 'Handed off: A → B (lost parcel)', tone: 'info' });
    expect(noteFor({ type: 'warning', seq: 8, timestamp: T, code: 'w', message: 'Careful.' })).toEqual({
      text: 'Warning: Careful.',
      tone: 'warning',
    });
    expect(
      noteFor({ type: 'error', seq: 9, timestamp: T, code: 'bad_request', message: 'Refused.' }),
    ).toBeUndefined();
    expect(noteFor({ type: 'agent_response', seq: 5, timestamp: T, agent: 'a', text: 'hi' })).toBeUndefined();
  });
});

describe('outcomeOf', () => {
  it('tells a customer in plain words that a completed run is done, the stop reason only behind Details', () => {
    expect(
      outcomeOf({ state: 'completed', stopReason: 'terminated_by_condition', error: undefined }),
    ).toEqual({
      state: 'completed',
      title: 'Conversation finished',
      detail: 'Your request has been handled. Thank you for contacting us.',
      technical: 'stopReason: terminated_by_condition',
    });
  });

  it('says a failed run went wrong (the model unreachable, when it was) and a stopped one was stopped, without codes', () => {
    const failed = outcomeOf({
      state: 'failed',
      stopReason: 'error',
      error: { code: 'bad_request', message: 'Refused.' },
    });
    expect(failed).toMatchObject({
      title: 'Something went wrong',
      detail: 'We could not finish this conversation. Please try again in a moment.',
      technical: 'stopReason: error; error bad_request: Refused.',
    });
    const unreachable = outcomeOf({
      state: 'failed',
      stopReason: 'error',
      error: { code: 'connection_error', message: 'Could not reach the model.' },
    });
    expect(unreachable.detail).toContain('The assistant could not be reached');
    const stopped = outcomeOf({ state: 'terminated', stopReason: 'cancelled', error: undefined });
    expect(stopped).toMatchObject({
      title: 'Conversation stopped',
      detail: 'This conversation was stopped. Start a new one whenever you like.',
    });
    for (const outcome of [failed, unreachable, stopped]) {
      expect(`${outcome.title} ${outcome.detail}`).not.toMatch(/stopReason|cancelled|bad_request|_/);
    }
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
    ).toBe('Refund agent needs your approval to run issue_refund.');
    const call = { seq: 10, timestamp: T, agent: 'refund_agent', tool: 'issue_refund', callId: 'c1' };
    expect(progressText({ type: 'tool_call', ...call, arguments: {} })).toBe(
      'Refund agent is running issue_refund…',
    );
    expect(noteFor({ type: 'tool_result', ...call, ok: true })).toEqual({
      text: 'Refund agent used issue_refund',
      tone: 'info',
    });
    expect(noteFor({ type: 'tool_result', ...call, ok: false })).toBeUndefined();
    expect(
      noteFor({ type: 'tool_approval', ...call, requestId: 'r1', approved: false, reason: 'Too much' }),
    ).toEqual({ text: 'You rejected issue_refund (Too much)', tone: 'info' });
  });
});
