import fs from 'node:fs';
import path from 'node:path';
import { appEnvironment } from '../../../devhost/config/app-environment';
import { startHost, type RunningHost } from '../../../devhost/host';
import type { LogEntry } from '../../../devhost/log';
import { send } from '../http/http-client';
import { freePorts } from '../../../devhost/azurite/ports';
import { copyFixtureApp, fixtureApp, probePort } from './app-copy';

describe('startHost in-process', () => {
  const env = appEnvironment();
  let host: RunningHost | undefined;
  let app: { appDir: string; remove(): void } | undefined;
  const logs: LogEntry[] = [];
  const log = (entry: LogEntry) => logs.push(entry);

  afterEach(async () => {
    await host?.stop();
    host = undefined;
    app?.remove();
    app = undefined;
  });

  it('starts, serves and stops on a free port twice in a row, releasing the port each time', async () => {
    for (const round of [1, 2]) {
      host = await startHost({ appDir: fixtureApp, port: 0, storage: 'memory', log });
      const res = await send(`${host.baseUrl}/api/greet/round${round}`);
      expect(res.status).toBe(200);
      expect(res.json()).toMatchObject({ params: { name: `round${round}` } });
      const { port } = host;
      await host.stop();
      host = undefined;
      expect(await probePort(port)).toBe('ECONNREFUSED');
    }
  });

  it('sets WEBSITE_HOSTNAME to its own address while it runs and restores it when it stops', async () => {
    const before = env.WEBSITE_HOSTNAME;
    host = await startHost({ appDir: fixtureApp, port: 0, storage: 'memory', log });
    const res = await send(`${host.baseUrl}/api/env/WEBSITE_HOSTNAME`);
    expect(res.json()).toEqual({ name: 'WEBSITE_HOSTNAME', value: `localhost:${host.port}` });
    await host.stop();
    host = undefined;
    expect(env.WEBSITE_HOSTNAME).toBe(before);
  });

  it('lists its routes with methods, absolute URL templates and auth levels', async () => {
    host = await startHost({ appDir: fixtureApp, port: 0, storage: 'memory', log });
    expect(host.routes).toContainEqual({
      methods: ['GET', 'POST'],
      url: `${host.baseUrl}/api/greet/{name}`,
      functionName: 'greet',
      authLevel: 'anonymous',
    });
    expect(host.routes).toContainEqual(
      expect.objectContaining({ functionName: 'adminDoor', authLevel: 'admin' }),
    );
    expect(host.baseUrl).toBe(`http://localhost:${host.port}`);
  });

  it('reads local.settings.json Values into the environment, letting variables already set win', async () => {
    app = copyFixtureApp();
    const [port] = (await freePorts(1)) as [number];
    fs.writeFileSync(
      path.join(app.appDir, 'local.settings.json'),
      JSON.stringify({
        IsEncrypted: false,
        Values: {
          DEVHOST_TEST_SETTING: 'from-settings',
          DEVHOST_TEST_OVERRIDE: 'from-settings',
          DEVHOST_TEST_NUMBER: 3,
        },
        Host: { LocalHttpPort: port },
      }),
    );
    env.DEVHOST_TEST_OVERRIDE = 'from-process';
    try {
      host = await startHost({ appDir: app.appDir, storage: 'memory', log });
      expect(host.port).toBe(port);
      const value = async (name: string) =>
        (await send(`${host?.baseUrl}/api/env/${name}`)).json<{ value: unknown }>().value;
      expect(await value('DEVHOST_TEST_SETTING')).toBe('from-settings');
      expect(await value('DEVHOST_TEST_OVERRIDE')).toBe('from-process');
      expect(await value('DEVHOST_TEST_NUMBER')).toBe('3');
      await host.stop();
      host = undefined;
      expect(env.DEVHOST_TEST_SETTING).toBeUndefined();
      expect(env.DEVHOST_TEST_OVERRIDE).toBe('from-process');
    } finally {
      delete env.DEVHOST_TEST_OVERRIDE;
    }
  });

  it('keeps the keys of a data folder across restarts', async () => {
    app = copyFixtureApp();
    const dataDir = path.join(app.appDir, '.devhost');
    host = await startHost({ appDir: app.appDir, port: 0, storage: 'memory', dataDir, log });
    const first = { functionKey: host.functionKey, masterKey: host.masterKey };
    await host.stop();
    host = await startHost({ appDir: app.appDir, port: 0, storage: 'memory', dataDir, log });
    expect({ functionKey: host.functionKey, masterKey: host.masterKey }).toEqual(first);
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'keys.json'), 'utf8'))).toEqual(first);
    expect(first.functionKey).not.toBe(first.masterKey);
  });

  it('takes the function key from DEVHOST_FUNCTION_KEY and enforces it', async () => {
    host = await startHost({
      appDir: fixtureApp,
      port: 0,
      storage: 'memory',
      log,
      env: { DEVHOST_FUNCTION_KEY: 'my-test-key' },
    });
    expect(host.functionKey).toBe('my-test-key');
    const url = `${host.baseUrl}/api/auth/function`;
    expect((await send(url, { headers: { 'x-functions-key': 'my-test-key' } })).status).toBe(200);
    expect((await send(url)).status).toBe(401);
  });

  it('generates new keys each start with memory storage and no data folder', async () => {
    host = await startHost({ appDir: fixtureApp, port: 0, storage: 'memory', log });
    const first = host.functionKey;
    await host.stop();
    host = await startHost({ appDir: fixtureApp, port: 0, storage: 'memory', log });
    expect(host.functionKey).not.toBe(first);
  });

  it('refuses to start on a port in use, naming the port, and leaves nothing running', async () => {
    host = await startHost({ appDir: fixtureApp, port: 0, storage: 'memory', log });
    const before = env.WEBSITE_HOSTNAME;
    await expect(startHost({ appDir: fixtureApp, port: host.port, storage: 'memory', log })).rejects.toThrow(
      `Port ${host.port} is already in use.`,
    );
    expect(env.WEBSITE_HOSTNAME).toBe(before);
  });

  it('points the app AzureWebJobsStorage at the Azurite it starts when it is the dev-storage shortcut', async () => {
    host = await startHost({
      appDir: fixtureApp,
      port: 0,
      storage: 'memory',
      log,
      env: { AzureWebJobsStorage: 'UseDevelopmentStorage=true' },
    });
    const seen = (await send(`${host.baseUrl}/api/env/AzureWebJobsStorage`)).json<{ value: string }>().value;
    expect(seen).toMatch(/AccountName=devstoreaccount1;.*TableEndpoint=http:\/\/127\.0\.0\.1:\d+/);
    expect(host.storage.description).toBe('memory (AzureWebJobsStorage: an in-memory Azurite)');
  });

  it('leaves a real AzureWebJobsStorage connection alone and starts no Azurite in memory mode', async () => {
    const real =
      'DefaultEndpointsProtocol=https;AccountName=example;AccountKey=a2V5;EndpointSuffix=core.windows.net';
    host = await startHost({
      appDir: fixtureApp,
      port: 0,
      storage: 'memory',
      log,
      env: { AzureWebJobsStorage: real },
    });
    const seen = (await send(`${host.baseUrl}/api/env/AzureWebJobsStorage`)).json<{ value: string }>().value;
    expect(seen).toBe(real);
    expect(host.storage.description).toBe('memory (AzureWebJobsStorage: as configured)');
  });

  it('reports invalid host.json with the file and the parser message', async () => {
    app = copyFixtureApp();
    fs.writeFileSync(path.join(app.appDir, 'host.json'), '{ "version": "2.0", // a comment\n }');
    await expect(startHost({ appDir: app.appDir, port: 0, storage: 'memory', log })).rejects.toThrow(
      /host\.json is not valid JSON \(comments and trailing commas are not allowed\)/,
    );
  });
});
