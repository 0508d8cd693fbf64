import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  OpenAIError,
} from 'openai';
import { ModelCallError } from '../../src/core/errors';
import { classifyModelError } from '../../src/model/classify-model-error';
import { redactSecrets } from '../../src/model/redact-secrets';
import { retryAfterMs } from '../../src/model/retry-after';

/** An error exactly as the SDK builds it from an HTTP response. */
function httpError(
  status: number,
  error: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): APIError {
  return APIError.generate(
    status,
    { error: { message: 'server says no', ...error } },
    undefined,
    new Headers(headers),
  );
}

function classify(error: unknown, options: Parameters<typeof classifyModelError>[1] = {}): ModelCallError {
  const classified = classifyModelError(error, { model: 'test-model', ...options });
  expect(classified).toBeInstanceOf(ModelCallError);
  return classified!;
}

describe('classifyModelError', () => {
  it.each([
    [408, 'timeout'],
    [409, 'conflict'],
    [429, 'rate_limited'],
    [500, 'server_error'],
    [502, 'server_error'],
    [503, 'server_error'],
  ])('classifies HTTP %i as retryable %s', (status, code) => {
    expect(classify(httpError(status))).toMatchObject({ code, isRetryable: true, statusCode: status });
  });

  it.each([
    [400, {}, 'bad_request'],
    [413, {}, 'bad_request'],
    [422, {}, 'bad_request'],
    [401, {}, 'authentication'],
    [403, {}, 'permission_denied'],
    [404, {}, 'not_found'],
    [400, { code: 'content_filter' }, 'content_filter'],
    [400, { code: 'content_policy_violation' }, 'content_filter'],
    [400, { code: null, innererror: { code: 'ResponsibleAIPolicyViolation' } }, 'content_filter'],
    [400, { code: 'context_length_exceeded' }, 'context_length_exceeded'],
    [
      400,
      { message: 'the request exceeds the available context size, try increasing it' },
      'context_length_exceeded',
    ],
    [429, { code: 'insufficient_quota' }, 'permission_denied'],
  ])('classifies HTTP %i with %j as permanent %s', (status, body, code) => {
    expect(classify(httpError(status, body))).toMatchObject({ code, isRetryable: false, statusCode: status });
  });

  it('carries the wait of retry-after-ms, then retry-after in seconds, then retry-after as an HTTP date', () => {
    const now = Date.parse('2026-11-24T12:00:00Z');

    expect(classify(httpError(429, {}, { 'retry-after-ms': '1500', 'retry-after': '9' })).retryAfterMs).toBe(
      1500,
    );
    expect(classify(httpError(429, {}, { 'retry-after': '2' })).retryAfterMs).toBe(2000);
    expect(
      classify(httpError(503, {}, { 'retry-after': 'Tue, 24 Nov 2026 12:00:30 GMT' }), { nowMs: now })
        .retryAfterMs,
    ).toBe(30_000);
    expect(classify(httpError(429)).retryAfterMs).toBeUndefined();
  });

  it('names the model, the status and what the server said, and suggests the fix for permanent errors', () => {
    const error = classify(
      httpError(404, { message: 'The API deployment for this resource does not exist.' }),
    );

    expect(error.message).toBe(
      'test-model answered HTTP 404: The API deployment for this resource does not exist. Check the model or ' +
        'deployment name (OPENAI_MODEL or AZURE_OPENAI_DEPLOYMENT) and the API version.',
    );
  });

  it('classifies timeouts, aborts and connection failures as retryable', () => {
    expect(classify(new APIConnectionTimeoutError())).toMatchObject({ code: 'timeout', isRetryable: true });
    expect(classify(new APIUserAbortError())).toMatchObject({ code: 'timeout', isRetryable: true });
    const reset = new APIConnectionError({ cause: new Error('other side closed') });
    expect(classify(reset)).toMatchObject({ code: 'connection_error', isRetryable: true });
    expect(classify(reset).message).toBe('Could not reach test-model: other side closed.');
  });

  it('classifies a failed Entra ID token request as a permanent authentication error', () => {
    const error = new OpenAIError(
      "Failed to get token from 'apiKey' function: ManagedIdentityCredential: no identity",
    );

    expect(classify(error)).toMatchObject({ code: 'authentication', isRetryable: false });
  });

  it('leaves errors that did not come from the model call unclassified, and passes its own errors through', () => {
    const own = new ModelCallError('server_error', 'already classified');

    expect(classifyModelError(new TypeError('x is undefined'))).toBeUndefined();
    expect(classifyModelError(new OpenAIError('something else'))).toBeUndefined();
    expect(classifyModelError(own)).toBe(own);
  });

  it('scrubs the configured key and key-shaped text from what the server said', () => {
    const error = classify(
      httpError(401, { message: 'Incorrect API key provided: sk-proj-abc***wxyz. Key my-own-key-42 is bad' }),
      {
        secrets: ['my-own-key-42'],
      },
    );

    expect(error.message).toContain('Incorrect API key provided: [redacted]. Key [redacted] is bad');
  });
});

describe('retryAfterMs', () => {
  it('ignores malformed values and treats a date in the past as no wait', () => {
    const now = Date.parse('2026-11-24T12:00:00Z');

    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '-1', 'retry-after': '1.5' }), now)).toBe(1500);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Tue, 24 Nov 2026 11:00:00 GMT' }), now)).toBe(0);
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});

describe('redactSecrets', () => {
  it('removes bearer tokens, JWTs and OpenAI-style keys but leaves ordinary text alone', () => {
    const text =
      'Authorization: Bearer abcdefghijklmnop; token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig; key sk-live-1234; order #12345';

    expect(redactSecrets(text)).toBe(
      'Authorization: [redacted]; token [redacted]; key [redacted]; order #12345',
    );
  });
});
