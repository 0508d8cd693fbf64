import { BenchError } from '../../src/bench-error';
import { outcomeOfStatus } from '../../src/ours/run-api';

describe('run outcome from the status endpoint', () => {
  it('takes the last agent answer, its author and the run turn count', () => {
    const outcome = outcomeOfStatus('r1', {
      state: 'completed',
      turn: 2,
      stopReason: 'terminated_by_condition',
      conversation: [
        { role: 'user', authorName: 'user', text: 'I never received my order #12345' },
        {
          role: 'assistant',
          authorName: 'shipping_agent',
          text: 'It will be delivered within 2 business days.',
        },
      ],
    });

    expect(outcome).toEqual({
      finalAnswer: 'It will be delivered within 2 business days.',
      lastAgent: 'shipping_agent',
      agentTurns: 2,
    });
  });

  it('refuses a run that did not complete, naming its state, stop reason and error', () => {
    const failed = () =>
      outcomeOfStatus('r2', {
        state: 'failed',
        turn: 1,
        stopReason: 'error',
        conversation: [],
        error: { code: 'model_unavailable', message: 'HTTP 503' },
      });

    expect(failed).toThrow(BenchError);
    expect(failed).toThrow('Run r2 ended failed (stop reason error): model_unavailable: HTTP 503.');
  });
});
