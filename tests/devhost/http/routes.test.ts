import { send } from './http-client';
import { fixtureApp, serveApp, type ServedApp } from './serve-app';

interface Echo {
  function: string;
  params: Record<string, string>;
  query: Record<string, string>;
  method: string;
  url: string;
}

describe('front door routing', () => {
  let app: ServedApp;
  const get = async (path: string, method = 'GET') => send(`${app.baseUrl}${path}`, { method });
  const echo = async (path: string) => {
    const res = await get(path);
    expect(res.status).toBe(200);
    return res.json<Echo>();
  };

  beforeAll(async () => {
    app = await serveApp(fixtureApp);
  });
  afterAll(async () => {
    await app.stop();
  });

  it('passes route params, the non-empty query values and the absolute URL to the function', async () => {
    const body = await echo('/api/greet/ada?q=1&empty=&tag=a&tag=b');
    expect(body).toEqual({
      function: 'greet',
      params: { name: 'ada' },
      query: { q: '1', tag: 'a,b' },
      method: 'GET',
      url: `${app.baseUrl}/api/greet/ada?q=1&empty=&tag=a&tag=b`,
    });
  });

  it('matches the prefix and literal segments case-insensitively and ignores a trailing slash', async () => {
    const body = await echo('/API/Greet/Ada/');
    expect(body.function).toBe('greet');
    expect(body.params).toEqual({ name: 'Ada' });
  });

  it('decodes percent-escapes in route values but keeps an escaped slash inside one value', async () => {
    expect((await echo('/api/greet/J%C3%BCrgen')).params.name).toBe('Jürgen');
    expect((await echo('/api/greet/a%2Fb')).params.name).toBe('a%2Fb');
  });

  it('prefers a literal segment over a parameter even when the parameter route sorts first by name', async () => {
    expect((await echo('/api/items/latest')).function).toBe('zLatestItem');
  });

  it('prefers a constrained parameter over a plain one when the constraint accepts the value', async () => {
    expect(await echo('/api/items/42')).toMatchObject({ function: 'itemById', params: { id: '42' } });
    expect(await echo('/api/items/widget')).toMatchObject({
      function: 'anyItem',
      params: { slug: 'widget' },
    });
    // 2^31 does not fit the int constraint, so the plain parameter takes it.
    expect((await echo('/api/items/2147483648')).function).toBe('anyItem');
  });

  it('applies the guid constraint and answers 404 when no route accepts the value', async () => {
    const id = '6f9619ff-8b86-d011-b42d-00c04fc964ff';
    expect((await echo(`/api/orders/${id}`)).params).toEqual({ orderId: id });
    const res = await get('/api/orders/not-a-guid');
    expect(res.status).toBe(404);
    expect(res.body).toHaveLength(0);
  });

  it('fills an optional parameter when present and leaves it out when absent', async () => {
    expect((await echo('/api/pages/docs/intro')).params).toEqual({ section: 'docs', page: 'intro' });
    expect((await echo('/api/pages/docs')).params).toEqual({ section: 'docs' });
    expect((await get('/api/pages/123')).status).toBe(404);
  });

  it('captures the rest of the path, slashes included, in a catch-all parameter', async () => {
    expect((await echo('/api/files/a/b/c.txt')).params).toEqual({ path: 'a/b/c.txt' });
    expect((await echo('/api/files')).params).toEqual({});
  });

  it('uses the function name as the route when the trigger has none', async () => {
    expect((await echo('/api/plain')).function).toBe('Plain');
  });

  it('answers 404 with no body for a method the route does not allow, as Azure does', async () => {
    const res = await get('/api/things/1', 'GET');
    expect(res.status).toBe(404);
    expect(res.body).toHaveLength(0);
    expect((await get('/api/things/1', 'DELETE')).status).toBe(200);
  });

  it('answers 404 for unknown routes and for function routes outside the route prefix', async () => {
    expect((await get('/api/nope')).status).toBe(404);
    expect((await get('/greet/ada')).status).toBe(404);
    expect((await get('/api')).status).toBe(404);
  });
});
