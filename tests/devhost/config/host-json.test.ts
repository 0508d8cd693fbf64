import { readHostJson, resolveTaskHubName } from '../../../devhost/config/host-json';
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

describe('resolveTaskHubName', () => {
  const hostJson = (hubName?: string) => ({
    raw: {},
    routePrefix: 'api',
    ...(hubName === undefined ? {} : { hubName }),
  });

  it('uses the extension default when host.json names no hub', () => {
    expect(resolveTaskHubName(hostJson(), {})).toBe('TestHubName');
  });

  it('resolves %SETTING% from the environment', () => {
    expect(resolveTaskHubName(hostJson('%HUB%'), { HUB: 'DurableHandoff' })).toBe('DurableHandoff');
  });

  it('names the missing setting when a placeholder does not resolve', () => {
    expect(() => resolveTaskHubName(hostJson('%HUB%'), {})).toThrow(/the app setting HUB is not set/);
  });

  it('rejects names the storage provider cannot use', () => {
    expect(() => resolveTaskHubName(hostJson('my-hub'), {})).toThrow(/"my-hub".*3 to 45 letters and digits/);
  });
});
