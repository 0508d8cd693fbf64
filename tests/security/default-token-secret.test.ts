/**
 * The default local configuration (no DURABLE_HANDOFF_TOKEN_SECRET, as local.settings.json ships)
 * through real HTTP on the local host: a token computed offline from Azurite's published account
 * key (what the red-team pass forged) grants nothing; the app's own tokens still work.
 */
import { createHash, createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { request, waitFor } from '../support/api-client';
import { startAppHost, type AppHost } from '../support/app-host';

const AZURITE_ACCOUNT =
  'devstoreaccount1:Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** The attacker's token for `runId`: the earlier build's development secret, computed from public values. */
function forgedToken(runId: string): string {
  const secret = createHash('sha256')
    .update(`durable-handoff development token secret\n${AZURITE_ACCOUNT}`)
    .digest('base64');
  const key = createHash('sha256').update(secret, 'utf8').digest();
  return `dh1.${createHmac('sha256', key).update(runId, 'utf8').digest('base64url')}`;
}

describe('the default local token secret', () => {
  let app: AppHost;
  let appRoot: string;

  beforeAll(async () => {
    appRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'default-secret-'));
    app = await startAppHost({
      env: { DURABLE_HANDOFF_TOKEN_SECRET: '', AzureWebJobsScriptRoot: appRoot },
    });
  });
  afterAll(async () => {
    await app?.stop();
    fs.rmSync(appRoot, { recursive: true, force: true });
  });

  it('refuses a token forged from Azurite published key and accepts the run own token', async () => {
    app.model.addSteps({ agent: 'coordinator_agent', reply: { text: 'How can I help?' } });
    const started = await request<{ runId: string; token: string; statusUri: string }>(
      `${app.api}/workflows/customer_support/run`,
      { body: { message: 'Hello' } },
    );
    expect(started.status).toBe(202);
    const { runId, token, statusUri } = started.body;

    const forged = await request<{ error: { code: string } }>(statusUri, { token: forgedToken(runId) });
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('forbidden');
    const forgedReply = await request(`${app.api}/workflows/customer_support/terminate/${runId}`, {
      method: 'POST',
      token: forgedToken(runId),
    });
    expect(forgedReply.status).toBe(403);

    await waitFor('the run to wait for input', async () => {
      const status = await request<{ state: string }>(statusUri, { token });
      return status.status === 200 && status.body.state === 'awaiting_input' ? true : undefined;
    });
    expect(fs.existsSync(path.join(appRoot, '.durable-handoff', 'token-secret'))).toBe(true);
  });

  it('warns that the secret is a local one to replace before deploying, without printing it', () => {
    const secret = fs.readFileSync(path.join(appRoot, '.durable-handoff', 'token-secret'), 'utf8').trim();
    const warning = app.logs.find((entry) =>
      entry.message.includes('DURABLE_HANDOFF_TOKEN_SECRET is not set'),
    );
    expect(warning?.message).toContain('random development secret');
    expect(warning?.message).toContain('required in Azure');
    expect(app.logs.some((entry) => entry.message.includes(secret))).toBe(false);
  });
});
