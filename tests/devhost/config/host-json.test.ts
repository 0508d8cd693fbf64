import { readHostJson } from '../../../devhost/config/host-json';
import { tempFolder } from './temp-app';

describe('readHostJson', () => {
  const folders: { remove(): void }[] = [];
  const app = (text: string) => {
    const folder = tempFolder({ 'host.json': text });
    folders.push(folder);
    return folder.dir;
  };
  afterEach(() => folders.splice(0).forEach((f) => f.remove()));

  it('defaults the route prefix to api and keeps an empty one', () => {
    expect(readHostJson(app('{"version":"2.0"}')).routePrefix).toBe('api');
    expect(readHostJson(app('{"version":"2.0","extensions":{"http":{"routePrefix":""}}}')).routePrefix).toBe(
      '',
    );
    expect(
      readHostJson(app('{"version":"2.0","extensions":{"http":{"routePrefix":"/v1/"}}}')).routePrefix,
    ).toBe('v1');
  });

  it('requires version 2.0, naming the value found', () => {
    expect(() => readHostJson(app('{"version":"1.0"}'))).toThrow(
      /has "version": "1.0"; the Functions v4 host needs "2.0"/,
    );
  });

  it('reports a missing host.json with the smallest valid content', () => {
    const folder = tempFolder({});
    folders.push(folder);
    expect(() => readHostJson(folder.dir)).toThrow(/No host\.json in .*\{"version": "2\.0"\}/);
  });

  it('reports a wrongly typed setting with its path', () => {
    expect(() => readHostJson(app('{"version":"2.0","extensions":{"http":{"routePrefix":5}}}'))).toThrow(
      /extensions\.http\.routePrefix/,
    );
  });
});
