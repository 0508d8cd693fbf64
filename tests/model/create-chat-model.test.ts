import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { ModelCallError } from '../../src/core/errors';
import type { ModelRequest } from '../../src/core/model';
import { AZURE_OPENAI_SCOPE, createChatModel, loadChatModel } from '../../src/model/create-chat-model';
import type { AzureOpenAIModelConfig } from '../../src/model/model-config';
import { Secret } from '../../src/model/secret';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing';

/** A local credential: hands out a fixed token and records the scopes asked for. No network. */
function fakeCredential(token = 'fake-entra-token'): TokenCredential & { scopes: string[][] } {
  const scopes: string[][] = [];
  return {
    scopes,
    getToken(requested: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
      scopes.push(Array.isArray(requested) ? requested : [requested]);
      return Promise.resolve({ token, expiresOnTimestamp: Date.now() + 3_600_000 });
    },
  };
}

function failingCredential(): TokenCredential {
  return {
    getToken: () =>
      Promise.reject(new Error('DefaultAzureCredential: no credential in the chain could sign in')),
  };
}

const request: ModelRequest = {
  agentName: 'triage_agent',
  instructions: 'You are a frontline customer support agent.',
  messages: [{ role: 'user', text: 'I never received my order #12345' }],
  tools: [],
};

describe('createChatModel', () => {
  let server: ScriptedModelServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function azureConfig(
    overrides: Partial<AzureOpenAIModelConfig> = {},
  ): Promise<AzureOpenAIModelConfig> {
    server = await startScriptedModelServer({
      steps: [{ repeat: true, reply: { text: 'Hello from Azure.' } }],
    });
    return {
      kind: 'azure-openai',
      endpoint: server.origin,
      deployment: 'gpt-4o',
      apiVersion: '2024-10-21',
      timeoutMs: 10_000,
      ...overrides,
    };
  }

  it('calls Azure OpenAI on the deployment path with the api-version and an Entra ID bearer token from the credential', async () => {
    const config = await azureConfig();
    const credential = fakeCredential();
    const model = createChatModel(config, { credential });

    const response = await model.generate(request);

    expect(response.message.text).toBe('Hello from Azure.');
    expect(credential.scopes).toEqual([[AZURE_OPENAI_SCOPE]]);
    expect(AZURE_OPENAI_SCOPE).toBe('https://cognitiveservices.azure.com/.default');
    const [sent] = server!.requests;
    expect(sent).toMatchObject({
      path: '/openai/deployments/gpt-4o/chat/completions',
      deployment: 'gpt-4o',
      apiVersion: '2024-10-21',
      agent: 'triage_agent',
    });
    expect(sent!.headers['authorization']).toBe('Bearer fake-entra-token');
    expect(sent!.headers['api-key']).toBeUndefined();
  });

  it('sends the Azure API key in the api-key header, and no bearer token, when a key is configured', async () => {
    const config = await azureConfig({ apiKey: new Secret('azure-key-123') });

    await createChatModel(config).generate(request);

    expect(server!.requests[0]!.headers['api-key']).toBe('azure-key-123');
    expect(server!.requests[0]!.headers['authorization']).toBeUndefined();
  });

  it("routes a request that names another model to that deployment's path", async () => {
    const config = await azureConfig();

    await createChatModel(config, { credential: fakeCredential() }).generate({
      ...request,
      model: 'gpt-4o-mini',
    });

    expect(server!.requests[0]!.path).toBe('/openai/deployments/gpt-4o-mini/chat/completions');
  });

  it('ignores AZURE_OPENAI_API_KEY and OPENAI_BASE_URL in the environment when the configuration says keyless Azure', async () => {
    const config = await azureConfig();
    const saved = { key: process.env['AZURE_OPENAI_API_KEY'], base: process.env['OPENAI_BASE_URL'] };
    process.env['AZURE_OPENAI_API_KEY'] = 'stray-key';
    process.env['OPENAI_BASE_URL'] = 'http://127.0.0.1:1/v1';
    try {
      await createChatModel(config, { credential: fakeCredential() }).generate(request);
    } finally {
      restore('AZURE_OPENAI_API_KEY', saved.key);
      restore('OPENAI_BASE_URL', saved.base);
    }

    expect(server!.requests[0]!.headers['authorization']).toBe('Bearer fake-entra-token');
    expect(server!.requests[0]!.headers['api-key']).toBeUndefined();
  });

  it('turns a credential that cannot sign in into a permanent authentication error, before any request', async () => {
    const config = await azureConfig();

    const error: unknown = await createChatModel(config, { credential: failingCredential() })
      .generate(request)
      .catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(ModelCallError);
    expect(error).toMatchObject({ code: 'authentication', isRetryable: false });
    expect((error as Error).message).toMatch(/Microsoft Entra ID token/);
    expect(server!.requests).toHaveLength(0);
  });

  it('sends a configured OpenAI-compatible key as a bearer token', async () => {
    server = await startScriptedModelServer({ steps: [{ reply: { text: 'ok' } }] });
    const model = createChatModel({
      kind: 'openai-compatible',
      baseUrl: server.baseUrl,
      model: 'llama3.1',
      apiKey: new Secret('sk-local-1234'),
      timeoutMs: 10_000,
    });

    await model.generate(request);

    expect(server.requests[0]!.headers['authorization']).toBe('Bearer sk-local-1234');
    expect(server.requests[0]!.model).toBe('llama3.1');
    expect(model.description).toBe(`openai-compatible model 'llama3.1' at ${server.baseUrl} (API key)`);
  });

  it('builds the offline demo model when no model is configured', async () => {
    const model = createChatModel({ kind: 'demo', timeoutMs: 60_000 });

    const response = await model.generate({ ...request, agentName: 'shipping_agent' });

    expect(model.description).toBe('offline demo model');
    expect(response.message.text).toContain('delivered within 2 business days');
  });
});

describe('loadChatModel', () => {
  it('announces the offline demo model at start-up when nothing is configured', () => {
    const lines: string[] = [];

    const model = loadChatModel({ env: {}, log: (line) => lines.push(line) });

    expect(model.description).toBe('offline demo model');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^no model configured: using the offline demo model/);
  });

  it('announces a configured model without its key', () => {
    const lines: string[] = [];

    loadChatModel({
      env: { OPENAI_API_KEY: 'sk-very-secret-key', OPENAI_MODEL: 'gpt-4o-mini' },
      log: (line) => lines.push(line),
    });

    expect(lines).toEqual([
      "model: openai model 'gpt-4o-mini' at https://api.openai.com/v1 (API key), timeout 60000 ms, no client-side retries",
    ]);
  });
});

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
