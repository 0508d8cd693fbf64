import type { RegisteredFunction } from '../../../devhost/contracts';
import { buildRouteTable } from '../../../devhost/http';
import type { LogEntry } from '../../../devhost/log';

function httpFunction(name: string, options: Record<string, unknown>): RegisteredFunction {
  const trigger = `httpTrigger${name}`;
  return {
    name,
    triggerType: 'httpTrigger',
    triggerBindingName: trigger,
    bindings: {
      [trigger]: { type: 'httpTrigger', direction: 'in', ...options },
      $return: { type: 'http', direction: 'out' },
    },
  };
}

describe('buildRouteTable', () => {
  const logs: LogEntry[] = [];
  const log = (entry: LogEntry) => logs.push(entry);

  it('serves routes at the root when the route prefix is empty', () => {
    const table = buildRouteTable([httpFunction('hello', { route: 'hello/{name}' })], '', log);
    expect(table.routes[0]?.path).toBe('/hello/{name}');
    expect(table.match('GET', '/hello/ada')?.params).toEqual({ name: 'ada' });
    expect(table.match('GET', '/api/hello/ada')).toBeUndefined();
  });

  it('supports a multi-segment route prefix', () => {
    const table = buildRouteTable([httpFunction('hello', { route: 'hello' })], 'v1/api', log);
    expect(table.match('GET', '/V1/api/hello')?.route.functionName).toBe('hello');
  });

  it('matches literal segments case-insensitively after decoding, keeping the case of parameter values', () => {
    const table = buildRouteTable(
      [
        httpFunction('byId', { route: 'Items/{id}' }),
        httpFunction('special', { route: 'items/Special' }),
        httpFunction('tail', { route: 'items/{id}/Parts/{*rest}' }),
      ],
      'api',
      log,
    );
    expect(table.match('GET', '/API/ITEMS/Sp%65CIAL')?.route.functionName).toBe('special');
    expect(table.match('GET', '/api/items/Caf%C3%A9')?.params).toEqual({ id: 'Café' });
    expect(table.match('GET', '/api/items/a%2Fb')?.params).toEqual({ id: 'a%2Fb' });
    expect(table.match('GET', '/api/ITEMS/X1/parts/Wheel/Nut')).toMatchObject({
      route: { functionName: 'tail' },
      params: { id: 'X1', rest: 'Wheel/Nut' },
    });
    expect(table.match('GET', '/api/items/X1/wheels/Nut')).toBeUndefined();
  });

  it('accepts every method when the trigger lists none, and defaults the auth level to function', () => {
    const table = buildRouteTable([httpFunction('any', {})], 'api', log);
    expect(table.match('PATCH', '/api/any')?.route).toMatchObject({
      methods: undefined,
      authLevel: 'function',
    });
  });

  it('refuses what the local host does not emulate: complex segments, defaults, constraints with arguments', () => {
    for (const route of ['files/{name}.{ext}', 'docs/{lang=en}', 'years/{year:range(2000,2099)}']) {
      expect(() => buildRouteTable([httpFunction('f', { route })], 'api', log)).toThrow(
        /is not one the local host supports: use a literal, \{name\}, \{name\?\}, \{name:type\} or a last \{\*rest\}/,
      );
    }
  });

  it('matches an optional constrained last parameter, as in the Functions docs (products/{category:alpha}/{id:int?})', () => {
    const table = buildRouteTable(
      [httpFunction('products', { route: 'products/{category:alpha}/{id:int?}' })],
      'api',
      log,
    );
    expect(table.match('GET', '/api/products/books/7')?.params).toEqual({ category: 'books', id: '7' });
    expect(table.match('GET', '/api/products/books')?.params).toEqual({ category: 'books' });
    expect(table.match('GET', '/api/products/books/seven')).toBeUndefined();
    expect(table.match('GET', '/api/products/b00ks/7')).toBeUndefined();
  });

  it('orders routes by ASP.NET precedence: literal, constrained parameter, parameter, catch-all', () => {
    const table = buildRouteTable(
      [
        httpFunction('a', { route: 'x/{*rest}' }),
        httpFunction('b', { route: 'x/{p}' }),
        httpFunction('c', { route: 'x/{p:int}' }),
        httpFunction('d', { route: 'x/fixed' }),
      ],
      'api',
      log,
    );
    expect(table.routes.map((r) => r.functionName)).toEqual(['d', 'c', 'b', 'a']);
    expect(table.match('GET', '/api/x/fixed')?.route.functionName).toBe('d');
    expect(table.match('GET', '/api/x/7')?.route.functionName).toBe('c');
    expect(table.match('GET', '/api/x/seven')?.route.functionName).toBe('b');
    expect(table.match('GET', '/api/x/seven/eight')?.route.functionName).toBe('a');
  });

  it('leaves out a route that duplicates an earlier one, logging the conflict like the host', () => {
    const table = buildRouteTable(
      [httpFunction('first', { route: 'same/{id}' }), httpFunction('second', { route: 'Same/{ID}' })],
      'api',
      log,
    );
    expect(table.routes.map((r) => r.functionName)).toEqual(['first']);
    expect(logs.at(-1)?.message).toBe(
      "The 'second' function is in error: The route specified conflicts with the route defined by function 'first'.",
    );
  });

  it('keeps routes with the same template when their methods do not overlap', () => {
    const table = buildRouteTable(
      [
        httpFunction('read', { route: 'doc', methods: ['GET'] }),
        httpFunction('write', { route: 'doc', methods: ['post'] }),
      ],
      'api',
      log,
    );
    expect(table.match('POST', '/api/doc')?.route.functionName).toBe('write');
    expect(table.match('GET', '/api/doc')?.route.functionName).toBe('read');
  });

  it('rejects an unknown constraint, naming the function, the route and the supported constraints', () => {
    expect(() => buildRouteTable([httpFunction('bad', { route: 'x/{id:integer}' })], 'api', log)).toThrow(
      /Function "bad" has the route "x\/\{id:integer\}".*unknown constraint "integer" \(supported: int, long,/,
    );
  });

  it('rejects malformed templates with the reason', () => {
    expect(() => buildRouteTable([httpFunction('c', { route: 'a/{*rest}/b' })], 'api', log)).toThrow(
      /catch-all parameter must be the last segment/,
    );
    expect(() => buildRouteTable([httpFunction('o', { route: '{a?}/b' })], 'api', log)).toThrow(
      /optional parameter "a" is followed by a required segment/,
    );
    expect(() => buildRouteTable([httpFunction('u', { route: 'a/{b' })], 'api', log)).toThrow(
      /the segment "\{b" is not one the local host supports/,
    );
  });

  it('rejects an unknown auth level with the allowed set', () => {
    expect(() => buildRouteTable([httpFunction('f', { authLevel: 'user' })], 'api', log)).toThrow(
      'Function "f" has authLevel "user". Allowed: anonymous, function, admin, system.',
    );
  });
});
