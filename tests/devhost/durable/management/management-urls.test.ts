import {
  managementUrls,
  queryWithCode,
  withCodeParameter,
} from '../../../../devhost/durable/management/management-urls';
import { clientBindingFor } from '../../../../devhost/real-engine/dtfx-engine';

describe('the management key on handed-out URLs', () => {
  it('appends code= after a path, a query, or a query that ends in ? or &', () => {
    expect(withCodeParameter('http://h/a', 'k+/=')).toBe('http://h/a?code=k%2B%2F%3D');
    expect(withCodeParameter('http://h/a?x=1', 'k')).toBe('http://h/a?x=1&code=k');
    expect(withCodeParameter('http://h/a?', 'k')).toBe('http://h/a?code=k');
    expect(withCodeParameter('http://h/a?x=1&', 'k')).toBe('http://h/a?x=1&code=k');
  });

  it('adds code= to a bare query string, empty or not', () => {
    expect(queryWithCode('', 'k')).toBe('code=k');
    expect(queryWithCode('taskHub=H&connection=Storage', 'k')).toBe('taskHub=H&connection=Storage&code=k');
  });

  it("gives the same URLs for the emulation's binding and the real engine's, key included", () => {
    const emulated = managementUrls('http://localhost:7071', 'Hub', 'INSTANCEID', 'k');
    const extensionJson = JSON.stringify({
      managementUrls: managementUrls('http://localhost:7071', 'Hub', 'INSTANCEID'),
      requiredQueryStringParameters: 'taskHub=Hub&connection=Storage',
    });
    const real = JSON.parse(clientBindingFor(extensionJson, 'http://localhost:7071', { code: 'k' })) as {
      managementUrls: unknown;
      requiredQueryStringParameters: string;
    };
    expect(real.managementUrls).toEqual(emulated);
    expect(real.requiredQueryStringParameters).toBe('taskHub=Hub&connection=Storage&code=k');
  });
});
