/**
 * A whole run through the local host on identity-only settings, as the deploy template configures the
 * app in Azure: `AzureWebJobsStorage__tableServiceUri` with `credential=managedidentity` and the
 * identity's client id, pointed at an Azurite that checks OAuth tokens over HTTPS, and no account key
 * anywhere in the host's environment (the host process gets exactly the settings below). The durable
 * engine keeps its state in memory, so the only storage the process talks to is the one that demands
 * a token.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePorts } from '../../devhost/azurite/ports';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing';
import { request, waitFor } from '../support/api-client';
import { appSettings } from '../support/app-host';
import { startCliHost, type CliHost } from '../support/cli-host';
import {
  APP_CLIENT_ID,
  identityOnlyAppEnvironment,
  keyBearingSettings,
  listTables,
  startIdentityEnvironment,
  type IdentityEnvironment,
} from './support/identity-environment';
import { opensslMissing } from '../support/self-signed-certificate';

type Started = { runId: string; token: string; statusUri: string; respondUri: string };
type Status = {
  state: string;
  pendingRequest?: { requestId: string };
  conversation: Array<{ authorName?: string; text: string }>;
};

const missing = opensslMissing();

(missing && !process.env.CI ? describe.skip : describe)(
  'a whole run through the local host with identity-only storage settings',
  () => {
    let env: IdentityEnvironment | undefined;
    let model: ScriptedModelServer | undefined;
    let host: CliHost | undefined;
    let dataDir: string | undefined;

    beforeAll(async () => {
      env = await startIdentityEnvironment();
      model = await startScriptedModelServer();
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'identity-host-'));
    }, 60_000);

    afterAll(async () => {
      // Only after a failure is a host still running; its state is in memory and of no use.
      await host?.kill('SIGKILL');
      await model?.close();
      await env?.stop();
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    }, 60_000);

    async function startHostWith(settings: Record<string, string>): Promise<CliHost> {
      const [port] = await freePorts(1);
      return startCliHost({
        port: port!,
        dataDir: dataDir!,
        storage: 'memory',
        env: settings,
        isolatedEnv: true,
      });
    }

    it('runs a conversation with a reply to the end, every storage request made with the app identity', async () => {
      const settings = identityOnlyAppEnvironment(env!, {
        ...appSettings(model!, { DURABLE_HANDOFF_TASK_HUB: 'IdentityRun' }),
        // A local.settings.json left in the app folder must not slip the dev-storage shortcut in.
        AzureWebJobsStorage: '',
      });
      expect(keyBearingSettings(settings)).toEqual([]);
      host = await startHostWith(settings);
      expect(host.output()).toMatch(/AzureWebJobsStorage: identity-based, as configured/);
      const asked = env!.identity.requestedClientIds.length;

      model!.addSteps(
        {
          agent: 'coordinator_agent',
          reply: { toolCalls: [{ name: 'handoff_to_shipping_agent', arguments: {} }] },
        },
        { agent: 'shipping_agent', reply: { text: 'Which order is it?' } },
        { agent: 'shipping_agent', reply: { text: 'Order 42 was delivered this morning.' } },
      );
      const started = await request<Started>(`${host.api}/workflows/customer_support/run`, {
        body: { message: 'Where is my parcel?' },
        headers: { 'x-functions-key': host.functionKey },
      });
      expect(started.status).toBe(202);
      const run = started.body;
      const status = (what: string, done: (s: Status) => boolean): Promise<Status> =>
        waitFor(
          what,
          async () => {
            const response = await request<Status>(run.statusUri, { token: run.token });
            return response.status === 200 && done(response.body) ? response.body : undefined;
          },
          { timeoutMs: 60_000, intervalMs: 100 },
        );
      const question = await status('the question', (s) => s.state === 'awaiting_input');
      const reply = await request(run.respondUri, {
        token: run.token,
        body: { message: 'Order 42', requestId: question.pendingRequest!.requestId },
      });
      expect(reply.status).toBe(202);
      const done = await status('the end of the run', (s) => s.state === 'completed' || s.state === 'failed');
      expect(done.state).toBe('completed');
      expect(done.conversation.map((m) => `${m.authorName}: ${m.text}`)).toEqual([
        'user: Where is my parcel?',
        'shipping_agent: Which order is it?',
        'user: Order 42',
        'shipping_agent: Order 42 was delivered this morning.',
      ]);

      // The run store's tables are in the OAuth-checking Azurite, written with tokens of the app's identity.
      const tables = await listTables(
        env!,
        env!.identity.tokenFor('https://storage.azure.com', APP_CLIENT_ID),
      );
      expect(tables.body).toMatch(/IdentityRun/);
      const requests = env!.identity.requestedClientIds.slice(asked);
      expect(requests.length).toBeGreaterThan(0);
      expect(new Set(requests)).toEqual(new Set([APP_CLIENT_ID]));
      await host.kill('SIGTERM');
      host = undefined;
    }, 120_000);

    it('refuses to serve the run when the platform offers no identity: nothing else lets the host into storage', async () => {
      const {
        IDENTITY_ENDPOINT: _endpoint,
        IDENTITY_HEADER: _header,
        ...noIdentity
      } = identityOnlyAppEnvironment(env!, {
        ...appSettings(model!, { DURABLE_HANDOFF_TASK_HUB: 'IdentityMissing' }),
        AzureWebJobsStorage: '',
      });
      host = await startHostWith(noIdentity);
      model!.addSteps({ agent: 'coordinator_agent', reply: { text: 'How can I help?' } });
      const started = await request<Started>(`${host.api}/workflows/customer_support/run`, {
        body: { message: 'Hello' },
        headers: { 'x-functions-key': host.functionKey },
      });
      expect(started.status).toBe(202);
      // Starting only schedules the orchestration; the first read or write of the run store is refused.
      const outcome = await waitFor(
        'the run store to be refused',
        async () => {
          const response = await request<Status>(started.body.statusUri, { token: started.body.token });
          if (response.status >= 500) return `HTTP ${response.status}`;
          return response.status === 200 && response.body.state === 'failed' ? 'failed' : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 200 },
      );
      expect(outcome).toMatch(/HTTP 5\d\d|failed/);
      expect(host.output()).toMatch(/ManagedIdentityCredential/);
      await host.kill('SIGTERM');
      host = undefined;
    }, 120_000);
  },
);
