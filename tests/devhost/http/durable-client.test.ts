import http from 'node:http';
import { send } from './http-client';
import { fixtureApp, serveApp, type ServedApp } from './serve-app';

describe('front door with a durable engine attached', () => {
  let app: ServedApp;

  beforeAll(async () => {
    app = await serveApp(fixtureApp, { withDurableEngine: true });
  });
  afterAll(async () => {
    await app.stop();
  });

  it('gives a durableClient input the engine client payload, which getClient accepts', async () => {
    const res = await send(`${app.baseUrl}/api/client/info`);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ taskHubName: 'TestHubName' });
  });

  it('forwards the documented webhook path to the engine management API', async () => {
    const missing = await send(`${app.baseUrl}/runtime/webhooks/durabletask/instances/no-such-instance`, {
      headers: { 'x-functions-key': app.keys.masterKey },
    });
    expect(missing.status).toBe(404);
    expect(missing.text).not.toMatch(/Durable Task extension is not running/);
  });

  it('forwards the client RPC path /durabletask/ to the engine management API', async () => {
    const list = await send(`${app.baseUrl}/durabletask/instances/?code=${app.keys.masterKey}`);
    expect(list.status).toBe(200);
    expect(list.json()).toEqual([]);
  });

  it("keeps an idle connection open as long as Kestrel does (130 s), longer than a pooled client's 5 s", async () => {
    // durable-functions' client pools its connections in Node's global agent (closed after 5 s
    // idle); a server that closed first could reset a request sent when the event loop lagged.
    const agent = new http.Agent({ keepAlive: true });
    try {
      const keepAlive = await new Promise<string | undefined>((resolve, reject) => {
        http
          .get(`${app.baseUrl}/durabletask/instances/?code=${app.keys.masterKey}`, { agent }, (res) => {
            res.resume();
            res.on('end', () => resolve(String(res.headers['keep-alive'])));
          })
          .on('error', reject);
      });
      expect(keepAlive).toBe('timeout=130');
    } finally {
      agent.destroy();
    }
  });
});
