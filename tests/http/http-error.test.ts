import { ApiError } from '../../src/http/http-error';

describe('an API error as a response', () => {
  it('says when to retry in the Retry-After header and in the body when given retryAfterSeconds', () => {
    const response = new ApiError(
      429,
      'rate_limited',
      'Slow down.',
      { scope: 'client' },
      {
        retryAfterSeconds: 7,
      },
    ).toResponse();
    expect(response.status).toBe(429);
    expect(response.headers).toEqual({ 'cache-control': 'no-store', 'retry-after': '7' });
    expect(response.jsonBody).toEqual({
      error: { code: 'rate_limited', message: 'Slow down.', scope: 'client', retryAfterSeconds: 7 },
    });
  });

  it('has no Retry-After without retryAfterSeconds, and asks for a bearer token on 401', () => {
    expect(new ApiError(409, 'run_exists', 'Taken.').toResponse().headers).toEqual({
      'cache-control': 'no-store',
    });
    expect(new ApiError(401, 'unauthorized', 'Who?').toResponse().headers).toEqual({
      'cache-control': 'no-store',
      'www-authenticate': 'Bearer',
    });
  });
});
