import path from 'node:path';
import {
  APP_CLIENT_ID,
  identityOnlyAppEnvironment,
  keyBearingSettings,
  listTables,
  startIdentityEnvironment,
  type IdentityEnvironment,
} from './support/identity-environment';
import { opensslMissing } from '../support/self-signed-certificate';
import { tsChildOutcome } from '../support/ts-child';

const CHILD = path.resolve(__dirname, 'support/run-store-child.ts');

type ChildOutcome = {
  ok: boolean;
  message?: string;
  events?: unknown[];
  messages?: unknown[];
  replies?: unknown[];
  credential?: unknown;
};

function runStoreIn(env: Record<string, string>): Promise<ChildOutcome> {
  return tsChildOutcome(CHILD, env, 'run store');
}

const missing = opensslMissing();
if (missing && !process.env.CI) process.stderr.write(`Skipping the identity-only tests: ${missing}.\n`);

(missing && !process.env.CI ? describe.skip : describe)(
  'identity-only storage: Azurite checking OAuth tokens over HTTPS',
  () => {
    let env: IdentityEnvironment;
    beforeAll(async () => {
      env = await startIdentityEnvironment();
    });
    afterAll(async () => {
      await env?.stop();
    });

    it('refuses a request without a token, and one whose token is for another audience', async () => {
      const anonymous = await listTables(env);
      expect(anonymous.status).toBeGreaterThanOrEqual(401);
      expect(anonymous.status).toBeLessThanOrEqual(403);
      const vaultToken = await listTables(
        env,
        env.identity.tokenFor('https://vault.azure.net', APP_CLIENT_ID),
      );
      expect(vaultToken.status).toBeGreaterThanOrEqual(401);
      expect(vaultToken.status).toBeLessThanOrEqual(403);
      // The same request with a storage token goes through: the token is what decides.
      const storageToken = await listTables(
        env,
        env.identity.tokenFor('https://storage.azure.com', APP_CLIENT_ID),
      );
      expect(storageToken.status).toBe(200);
    });

    it('the run store writes and reads events, messages and replies with the managed identity, no key in its environment', async () => {
      const appEnv = identityOnlyAppEnvironment(env, { DURABLE_HANDOFF_TASK_HUB: 'IdentityStore' });
      expect(keyBearingSettings(appEnv)).toEqual([]);
      expect(Object.keys(appEnv).filter((name) => name === 'AzureWebJobsStorage')).toEqual([]);
      const asked = env.identity.requestedClientIds.length;

      const outcome = await runStoreIn(appEnv);

      expect(outcome).toMatchObject({
        ok: true,
        credential: { kind: 'managed-identity', clientId: APP_CLIENT_ID },
        events: [
          expect.objectContaining({ seq: 1, message: 'written with a token' }),
          expect.objectContaining({ seq: 2, message: 'no account key anywhere' }),
        ],
        messages: [
          { role: 'user', text: 'Where is my order?' },
          { role: 'assistant', authorName: 'shipping_agent', text: 'On its way.' },
        ],
        replies: [expect.objectContaining({ replyId: 'r1', message: 'thanks' })],
      });
      const requests = env.identity.requestedClientIds.slice(asked);
      expect(requests.length).toBeGreaterThan(0);
      expect(new Set(requests)).toEqual(new Set([APP_CLIENT_ID]));
      expect(new Set(env.identity.requestedResources)).toEqual(new Set(['https://storage.azure.com']));
    });

    it('the run store fails when the platform offers no identity (nothing else lets it in)', async () => {
      const {
        IDENTITY_ENDPOINT: _endpoint,
        IDENTITY_HEADER: _header,
        ...noIdentity
      } = identityOnlyAppEnvironment(env, {
        DURABLE_HANDOFF_TASK_HUB: 'NoIdentity',
      });
      const outcome = await runStoreIn(noIdentity);
      expect(outcome.ok).toBe(false);
      expect(outcome.message).toMatch(/ManagedIdentityCredential/);
    });
  },
);
