import {
  DurableHandoffError,
  ModelCallError,
  WorkflowDefinitionError,
  errorFromJSON,
  isSerializedError,
} from '../../src/core/errors';

describe('errors', () => {
  it('keeps code, retryability, status and retry-after across a JSON round trip', () => {
    const original = new ModelCallError('rate_limited', 'The model answered 429.', {
      statusCode: 429,
      retryAfterMs: 2000,
    });
    const wire: unknown = JSON.parse(JSON.stringify(original));
    expect(isSerializedError(wire)).toBe(true);
    const rebuilt = errorFromJSON(wire as Parameters<typeof errorFromJSON>[0]);
    expect(rebuilt).toBeInstanceOf(ModelCallError);
    expect(rebuilt.code).toBe('rate_limited');
    expect(rebuilt.isRetryable).toBe(true);
    expect((rebuilt as ModelCallError).statusCode).toBe(429);
    expect((rebuilt as ModelCallError).retryAfterMs).toBe(2000);
  });

  it('classifies permanent model errors as not retryable', () => {
    expect(new ModelCallError('content_filter', 'filtered').isRetryable).toBe(false);
    expect(new ModelCallError('authentication', 'bad key').isRetryable).toBe(false);
    expect(new ModelCallError('server_error', '503').isRetryable).toBe(true);
  });

  it('recognises its errors without instanceof, and nothing else', () => {
    expect(DurableHandoffError.isInstance(new WorkflowDefinitionError('bad'))).toBe(true);
    expect(DurableHandoffError.isInstance(new Error('plain'))).toBe(false);
    expect(isSerializedError({ code: 'x', message: 'y' })).toBe(false);
  });
});
