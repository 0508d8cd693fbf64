import { send } from './http-client';
import { fixtureApp, serveApp, type ServedApp } from './serve-app';

describe('front door auth levels', () => {
  let app: ServedApp;
  const get = (path: string, headers: Record<string, string> = {}) =>
    send(`${app.baseUrl}${path}`, { headers });

  beforeAll(async () => {
    app = await serveApp(fixtureApp);
  });
  afterAll(async () => {
    await app.stop();
  });

  it('serves anonymous functions without a key, and with any key', async () => {
    expect((await get('/api/auth/anonymous')).status).toBe(200);
    expect((await get('/api/auth/anonymous?code=wrong')).status).toBe(200);
  });

  it('refuses a function-level function without a key with 401 and no body', async () => {
    const res = await get('/api/auth/function');
    expect(res.status).toBe(401);
    expect(res.body).toHaveLength(0);
  });

  it('serves a function-level function with the function key in x-functions-key', async () => {
    const res = await get('/api/auth/function', { 'x-functions-key': app.keys.functionKey });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ level: 'function' });
  });

  it('serves a function-level function with the function key in ?code=', async () => {
    const code = encodeURIComponent(app.keys.functionKey);
    expect((await get(`/api/auth/function?code=${code}`)).status).toBe(200);
  });

  it('refuses a wrong key with 401', async () => {
    expect((await get('/api/auth/function', { 'x-functions-key': 'not-the-key' })).status).toBe(401);
    expect((await get('/api/auth/function?code=not-the-key')).status).toBe(401);
  });

  it('accepts the master key wherever the function key is accepted', async () => {
    expect((await get('/api/auth/function', { 'x-functions-key': app.keys.masterKey })).status).toBe(200);
  });

  it('serves an admin-level function only with the master key', async () => {
    expect((await get('/api/auth/admin', { 'x-functions-key': app.keys.functionKey })).status).toBe(401);
    expect((await get('/api/auth/admin')).status).toBe(401);
    expect((await get('/api/auth/admin', { 'x-functions-key': app.keys.masterKey })).status).toBe(200);
    expect((await get(`/api/auth/admin?code=${encodeURIComponent(app.keys.masterKey)}`)).status).toBe(200);
  });

  it('checks the route before the key, so an unknown route is 404 even without a key', async () => {
    expect((await get('/api/auth/missing')).status).toBe(404);
  });
});

describe('front door durable client binding without an engine', () => {
  let app: ServedApp;
  beforeAll(async () => {
    app = await serveApp(fixtureApp);
  });
  afterAll(async () => {
    await app.stop();
  });

  it('fails the invocation with 500 and logs that no Durable engine runs', async () => {
    const res = await send(`${app.baseUrl}/api/client/info`);
    expect(res.status).toBe(500);
    expect(
      app.logs.some((l) => l.level === 'error' && /clientInfo.*no Durable engine is running/.test(l.message)),
    ).toBe(true);
  });

  it('answers the Durable management API with 404 when no engine runs', async () => {
    const res = await send(`${app.baseUrl}/runtime/webhooks/durabletask/instances/abc`);
    expect(res.status).toBe(404);
    expect(res.text).toMatch(/Durable Task extension is not running/);
  });
});
