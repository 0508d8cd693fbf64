import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { CorsPolicy } from '../../src/http/cors-policy';
import { withApiErrors } from '../../src/http/with-api-errors';

const WIDGET = 'https://shop.example.com';

function call(policy: CorsPolicy, method: string, headers: Record<string, string>) {
  let ran = 0;
  const handler = withApiErrors(
    () => {
      ran += 1;
      return Promise.resolve({ status: 202, jsonBody: { ok: true } });
    },
    { cors: () => policy },
  );
  const request = new HttpRequest({
    method,
    url: 'https://support-app.azurewebsites.net/api/workflows/customer_support/run',
    headers: { host: 'support-app.azurewebsites.net', ...headers },
  });
  return (
    handler(request, new InvocationContext({ functionName: 'startRun' })) as Promise<HttpResponseInit>
  ).then((response) => ({ response, ran, headers: (response.headers ?? {}) as Record<string, string> }));
}

describe('the CORS policy', () => {
  const policy = new CorsPolicy([WIDGET]);

  it('answers the preflight of an allowed origin with what it may send, and no credentials', async () => {
    const { response, ran, headers } = await call(policy, 'OPTIONS', {
      origin: WIDGET,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type',
    });
    expect(response.status).toBe(204);
    expect(ran).toBe(0);
    expect(headers).toMatchObject({
      'access-control-allow-origin': WIDGET,
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'authorization, content-type, last-event-id',
      vary: 'Origin',
    });
    expect(headers['access-control-allow-credentials']).toBeUndefined();
  });

  it.each([
    'https://evil.example',
    'null',
    'https://shop.example.com.evil.example',
    'http://shop.example.com',
  ])('refuses the preflight and the request of a page of %s, without running the handler', async (origin) => {
    const preflight = await call(policy, 'OPTIONS', { origin, 'access-control-request-method': 'POST' });
    expect(preflight.response.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const actual = await call(policy, 'POST', { origin, 'content-type': 'application/json' });
    expect(actual.response.status).toBe(403);
    expect((actual.response.jsonBody as { error: { code: string } }).error.code).toBe('origin_not_allowed');
    expect(actual.ran).toBe(0);
  });

  it('lets the app own pages through (same origin) without CORS headers, and tells an allowed page it may read', async () => {
    const same = await call(policy, 'POST', { origin: 'https://support-app.azurewebsites.net' });
    expect(same.response.status).toBe(202);
    expect(same.headers['access-control-allow-origin']).toBeUndefined();
    const widget = await call(policy, 'POST', { origin: WIDGET });
    expect(widget.response.status).toBe(202);
    expect(widget.headers).toMatchObject({ 'access-control-allow-origin': WIDGET, vary: 'Origin' });
    const noOrigin = await call(policy, 'POST', {});
    expect(noOrigin.response.status).toBe(202);
  });

  it('allows only the app own origin when no origins are configured, or the public URL behind a proxy', async () => {
    const strict = new CorsPolicy([]);
    expect((await call(strict, 'POST', { origin: WIDGET })).response.status).toBe(403);
    const proxied = new CorsPolicy([], 'https://help.example.com');
    expect((await call(proxied, 'POST', { origin: 'https://help.example.com' })).response.status).toBe(202);
  });
});
