/**
 * Hostile input against the app on the local host, over raw sockets: keys with control characters,
 * and large bodies on routes that answer without needing them. Each gets a 4xx (or the route's own
 * answer), never a 5xx, and no raw key reaches the logs.
 */
import type { LogEntry } from '../../devhost/log';
import { request, waitFor } from '../support/api-client';
import { startAppHost, type AppHost } from '../support/app-host';
import { sendRaw } from '../support/raw-http';

describe('hostile input on the app API', () => {
  let app: AppHost;
  let port: number;
  const lines: LogEntry[] = [];
  let run: { runId: string; token: string };

  beforeAll(async () => {
    app = await startAppHost({ log: (entry) => lines.push(entry) });
    port = app.host.port;
    app.model.addSteps({ agent: 'coordinator_agent', reply: { text: 'How can I help?' } });
    const started = await request<{ runId: string; token: string; statusUri: string }>(
      `${app.api}/workflows/customer_support/run`,
      { body: { message: 'Hello' } },
    );
    run = started.body;
    await waitFor('the run to wait for input', async () => {
      const status = await request<{ state: string }>(started.body.statusUri, { token: run.token });
      return status.body.state === 'awaiting_input' ? true : undefined;
    });
  });
  afterAll(async () => {
    await app?.stop();
  });

  const routes = (): Array<[string, string]> => [
    ['GET', `/api/workflows/customer_support/status/${run.runId}`],
    ['GET', `/api/workflows/customer_support/events/${run.runId}`],
    ['POST', `/api/workflows/customer_support/respond/${run.runId}`],
    ['POST', `/api/workflows/customer_support/terminate/${run.runId}`],
  ];

  it('answers 401 to a ?code= holding NUL, CR/LF or non-Latin-1 characters on every run-scoped route', async () => {
    const keys = ['%00', 'abc%0D%0Ainformation%20forged', '%C3%A9t%C3%A9', '%E2%80%A8', 'a%20b'];
    for (const [method, path] of routes()) {
      for (const key of keys) {
        const response = await sendRaw(port, {
          method,
          target: `${path}?code=${key}`,
          headers: [['Content-Type', 'application/json']],
          ...(method === 'POST' ? { body: '{"message":"x"}' } : {}),
        });
        expect({ method, path, key, status: response.status }).toEqual({ method, path, key, status: 401 });
      }
    }
    const text = lines.map((entry) => entry.message).join('\n');
    expect(text).not.toContain('information forged');
    expect(text).not.toContain('\u0000');
  });

  it('answers routes that do not read a large body with their own status, never 500', async () => {
    for (const kilobytes of [64, 100, 150, 200, 400, 2000]) {
      const body = Buffer.alloc(kilobytes * 1024, 0x61);
      const cases: Array<[string, string, Array<[string, string]>, number]> = [
        ['POST', `/api/workflows/customer_support/respond/${run.runId}`, [], 401],
        ['POST', `/api/workflows/no_such_workflow/run`, [], 404],
        [
          'POST',
          `/api/workflows/customer_support/respond/${run.runId}`,
          [['Authorization', 'Bearer dh1.forged']],
          403,
        ],
      ];
      for (const [method, target, headers, expected] of cases) {
        const response = await sendRaw(port, {
          method,
          target,
          headers: [['Content-Type', 'application/json'], ...headers],
          body,
        });
        expect({ kilobytes, target, status: response.status }).toEqual({
          kilobytes,
          target,
          status: expected,
        });
      }
    }
  });
});
