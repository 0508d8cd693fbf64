import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FunctionKeyValidator, KEY_CHECK_ROUTE } from '../../src/http/key-check';

describe('FunctionKeyValidator', () => {
  let server: http.Server;
  let baseUrl: string;
  const checked: string[] = [];

  beforeAll(async () => {
    // Plays the Functions host: the key-check route answers 200 for the one valid key.
    server = http.createServer((req, res) => {
      const key = String(req.headers['x-functions-key'] ?? '');
      checked.push(key);
      const route = [`/api/${KEY_CHECK_ROUTE}`, `/support/v1/${KEY_CHECK_ROUTE}`, `/${KEY_CHECK_ROUTE}`];
      res.statusCode = route.includes(req.url ?? '') && key === 'the-key' ? 200 : 401;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    checked.length = 0;
  });

  it('accepts the key the host accepts and asks the host once while the answer is fresh', async () => {
    let now = 0;
    const validator = new FunctionKeyValidator({
      baseUrl: () => baseUrl,
      routePrefix: 'api',
      now: () => now,
    });
    expect(await validator.isValid('the-key')).toBe(true);
    expect(await validator.isValid('the-key')).toBe(true);
    expect(await validator.isValid('wrong')).toBe(false);
    expect(checked).toEqual(['the-key', 'wrong']);
    now += 60_001; // a refusal is remembered for 60 s, an acceptance for 5 min
    expect(await validator.isValid('wrong')).toBe(false);
    expect(await validator.isValid('the-key')).toBe(true);
    expect(checked).toEqual(['the-key', 'wrong', 'wrong']);
  });

  it('asks the host about made-up keys at most 10 times at once and then once a second, however many arrive', async () => {
    let now = 0;
    const validator = new FunctionKeyValidator({
      baseUrl: () => baseUrl,
      routePrefix: 'api',
      now: () => now,
    });
    expect(await validator.isValid('the-key')).toBe(true);
    checked.length = 0;
    const flood = Array.from({ length: 500 }, (_, i) => `made-up-${i}`);
    expect(await Promise.all(flood.map((key) => validator.isValid(key)))).toEqual(flood.map(() => false));
    expect(checked).toHaveLength(9); // the burst of 10, one of which the valid key took
    // A key the host accepted stays accepted from the cache during the flood.
    expect(await validator.isValid('the-key')).toBe(true);
    now += 5_000;
    checked.length = 0;
    for (const key of flood) expect(await validator.isValid(`${key}-again`)).toBe(false);
    expect(checked).toHaveLength(5);
    // The same made-up key again within a minute costs nothing at all.
    checked.length = 0;
    now += 30_000;
    for (const key of flood.slice(0, 9)) expect(await validator.isValid(key)).toBe(false);
    expect(checked).toEqual([]);
  });

  it('refuses without asking when no host address is known, or the key is empty or too long', async () => {
    const validator = new FunctionKeyValidator({ baseUrl: () => undefined, routePrefix: 'api' });
    expect(await validator.isValid('the-key')).toBe(false);
    const withHost = new FunctionKeyValidator({ baseUrl: () => baseUrl, routePrefix: 'api' });
    expect(await withHost.isValid('')).toBe(false);
    expect(await withHost.isValid('k'.repeat(513))).toBe(false);
    expect(checked).toEqual([]);
  });

  it('keeps at most the last 1000 keys, so a flood of made-up keys cannot grow it without bound', async () => {
    const validator = new FunctionKeyValidator({
      baseUrl: () => baseUrl,
      routePrefix: 'api',
      now: () => 0,
      checkBudget: { burst: 2000, perSecond: 0 },
    });
    expect(await validator.isValid('the-key')).toBe(true);
    for (let i = 0; i < 1000; i += 1) await validator.isValid(`made-up-${i}`);
    checked.length = 0;
    // The oldest entry (the valid key) made room; the newest are still remembered.
    expect(await validator.isValid('made-up-999')).toBe(false);
    expect(checked).toEqual([]);
    expect(await validator.isValid('the-key')).toBe(true);
    expect(checked).toEqual(['the-key']);
  });

  it.each([['support/v1'], ['']])(
    "asks the host under the app's route prefix ('%s'), where its key-check function is",
    async (routePrefix) => {
      const urls: string[] = [];
      const validator = new FunctionKeyValidator({
        baseUrl: () => baseUrl,
        routePrefix,
        fetch: (url, init) => {
          urls.push(url);
          return fetch(url, init);
        },
      });
      expect(await validator.isValid('the-key')).toBe(true);
      expect(urls).toEqual([`${baseUrl}${routePrefix === '' ? '' : `/${routePrefix}`}/${KEY_CHECK_ROUTE}`]);
    },
  );

  it('sends one request for concurrent checks of the same key', async () => {
    const validator = new FunctionKeyValidator({ baseUrl: () => baseUrl, routePrefix: 'api' });
    const answers = await Promise.all(Array.from({ length: 20 }, () => validator.isValid('the-key')));
    expect(answers.every(Boolean)).toBe(true);
    expect(checked).toEqual(['the-key']);
  });
});
