import { inspect } from 'node:util';
import { ConfigurationError } from '../../src/core/errors';
import {
  DEFAULT_AZURE_OPENAI_API_VERSION,
  DEFAULT_MODEL_TIMEOUT_MS,
  loadModelConfig,
  type ModelConfig,
} from '../../src/model/model-config';

function configurationError(env: Record<string, string>): ConfigurationError {
  try {
    loadModelConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error(`expected a ConfigurationError for ${JSON.stringify(Object.keys(env))}`);
}

describe('loadModelConfig', () => {
  it('uses the offline demo model when no model setting is present', () => {
    expect(loadModelConfig({})).toEqual({ kind: 'demo', timeoutMs: DEFAULT_MODEL_TIMEOUT_MS });
  });

  it('treats empty and blank settings, as local.settings.json often holds, as unset', () => {
    expect(loadModelConfig({ AZURE_OPENAI_ENDPOINT: '', OPENAI_API_KEY: '  ', OPENAI_MODEL: '' }).kind).toBe(
      'demo',
    );
  });

  it('reads keyless Azure OpenAI with the default API version and without a trailing slash', () => {
    const config = loadModelConfig({
      AZURE_OPENAI_ENDPOINT: 'https://my-resource.openai.azure.com/',
      AZURE_OPENAI_DEPLOYMENT: 'gpt-4o',
    });

    expect(config).toEqual({
      kind: 'azure-openai',
      endpoint: 'https://my-resource.openai.azure.com',
      deployment: 'gpt-4o',
      apiVersion: DEFAULT_AZURE_OPENAI_API_VERSION,
      timeoutMs: DEFAULT_MODEL_TIMEOUT_MS,
    });
  });

  it('reads Azure OpenAI with an API key and version, keeping the key out of logs', () => {
    const config = loadModelConfig({
      AZURE_OPENAI_ENDPOINT: 'https://my-resource.openai.azure.com',
      AZURE_OPENAI_DEPLOYMENT: 'gpt-4o',
      AZURE_OPENAI_API_VERSION: '2025-04-01-preview',
      AZURE_OPENAI_API_KEY: 'azure-secret-key',
      MODEL_TIMEOUT_MS: '15000',
    });

    expect(config).toMatchObject({
      kind: 'azure-openai',
      apiVersion: '2025-04-01-preview',
      timeoutMs: 15_000,
    });
    expect(config.kind === 'azure-openai' && config.apiKey?.reveal()).toBe('azure-secret-key');
    expect(JSON.stringify(config)).not.toContain('azure-secret-key');
    expect(inspect(config)).not.toContain('azure-secret-key');
    expect(`${String(config.kind === 'azure-openai' && config.apiKey)}`).toBe('[redacted]');
  });

  it('reads an OpenAI-compatible server without a key', () => {
    expect(
      loadModelConfig({ OPENAI_BASE_URL: 'http://localhost:11434/v1/', OPENAI_MODEL: 'llama3.1' }),
    ).toEqual<ModelConfig>({
      kind: 'openai-compatible',
      baseUrl: 'http://localhost:11434/v1',
      model: 'llama3.1',
      timeoutMs: DEFAULT_MODEL_TIMEOUT_MS,
    });
  });

  it('reads OPENAI_API_KEY without a base URL as OpenAI itself', () => {
    const config = loadModelConfig({ OPENAI_API_KEY: 'sk-abc', OPENAI_MODEL: 'gpt-4o-mini' });

    expect(config).toMatchObject({
      kind: 'openai-compatible',
      baseUrl: 'https://api.openai.com/v1',
      model: 'gpt-4o-mini',
    });
  });

  it('rejects Azure and OpenAI-compatible settings together, naming both', () => {
    const error = configurationError({
      AZURE_OPENAI_ENDPOINT: 'https://my-resource.openai.azure.com',
      AZURE_OPENAI_DEPLOYMENT: 'gpt-4o',
      OPENAI_BASE_URL: 'http://localhost:11434/v1',
    });

    expect(error.setting).toBe('OPENAI_BASE_URL');
    expect(error.code).toBe('invalid_configuration');
    expect(error.message).toMatch(
      /AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_DEPLOYMENT \(Azure OpenAI\) and OPENAI_BASE_URL/,
    );
  });

  it('rejects an Azure endpoint without a deployment, naming AZURE_OPENAI_DEPLOYMENT', () => {
    const error = configurationError({ AZURE_OPENAI_ENDPOINT: 'https://my-resource.openai.azure.com' });

    expect(error.setting).toBe('AZURE_OPENAI_DEPLOYMENT');
    expect(error.message).toContain('Set AZURE_OPENAI_DEPLOYMENT');
  });

  it('rejects Azure settings without an endpoint, naming AZURE_OPENAI_ENDPOINT', () => {
    const error = configurationError({ AZURE_OPENAI_DEPLOYMENT: 'gpt-4o', AZURE_OPENAI_API_KEY: 'k-123456' });

    expect(error.setting).toBe('AZURE_OPENAI_ENDPOINT');
    expect(error.message).toMatch(
      /^AZURE_OPENAI_DEPLOYMENT, AZURE_OPENAI_API_KEY are set but AZURE_OPENAI_ENDPOINT is not/,
    );
    expect(error.message).not.toContain('k-123456');
  });

  it('rejects an endpoint that is not a URL without repeating the value, which may be a misplaced key', () => {
    const error = configurationError({
      AZURE_OPENAI_ENDPOINT: 'a1b2c3d4e5f6-secret-looking',
      AZURE_OPENAI_DEPLOYMENT: 'gpt-4o',
    });

    expect(error.setting).toBe('AZURE_OPENAI_ENDPOINT');
    expect(error.message).toMatch(
      /must be an http\(s\) URL such as https:\/\/my-resource\.openai\.azure\.com/,
    );
    expect(error.message).not.toContain('a1b2c3d4e5f6');
  });

  it('rejects an endpoint that already contains the /openai path the client adds', () => {
    const error = configurationError({
      AZURE_OPENAI_ENDPOINT: 'https://my-resource.openai.azure.com/openai/deployments/gpt-4o',
      AZURE_OPENAI_DEPLOYMENT: 'gpt-4o',
    });

    expect(error.setting).toBe('AZURE_OPENAI_ENDPOINT');
    expect(error.message).toContain("without '/openai/...'");
  });

  it('rejects a base URL carrying credentials or a query string', () => {
    const error = configurationError({
      OPENAI_BASE_URL: 'http://user:pw@localhost:11434/v1',
      OPENAI_MODEL: 'm',
    });

    expect(error.setting).toBe('OPENAI_BASE_URL');
    expect(error.message).not.toContain('pw');
  });

  it('rejects a base URL without a model, naming OPENAI_MODEL', () => {
    const error = configurationError({ OPENAI_BASE_URL: 'http://localhost:11434/v1' });

    expect(error.setting).toBe('OPENAI_MODEL');
    expect(error.message).toMatch(/^OPENAI_BASE_URL is set but OPENAI_MODEL is not/);
  });

  it('rejects an OpenAI key without a model, naming OPENAI_MODEL and never the key', () => {
    const error = configurationError({ OPENAI_API_KEY: 'sk-hidden-value' });

    expect(error.setting).toBe('OPENAI_MODEL');
    expect(error.message).not.toContain('sk-hidden-value');
  });

  it('rejects a model without a server or key, naming OPENAI_BASE_URL', () => {
    const error = configurationError({ OPENAI_MODEL: 'gpt-4o' });

    expect(error.setting).toBe('OPENAI_BASE_URL');
    expect(error.message).toContain('nor OPENAI_API_KEY');
  });

  it('rejects a deployment name that cannot be part of a URL path, showing the allowed characters', () => {
    const error = configurationError({
      AZURE_OPENAI_ENDPOINT: 'https://my-resource.openai.azure.com',
      AZURE_OPENAI_DEPLOYMENT: 'gpt 4o/../x',
    });

    expect(error.setting).toBe('AZURE_OPENAI_DEPLOYMENT');
    expect(error.message).toBe(
      "AZURE_OPENAI_DEPLOYMENT must be a deployment name of 1 to 64 letters, digits, '.', '_' or '-'; got 'gpt 4o/../x'.",
    );
  });

  it.each(['soon', '0', '-5', '1.5', '99999999'])(
    'rejects MODEL_TIMEOUT_MS=%s, naming the setting and the range',
    (value) => {
      const error = configurationError({ MODEL_TIMEOUT_MS: value });

      expect(error.setting).toBe('MODEL_TIMEOUT_MS');
      expect(error.message).toMatch(/^MODEL_TIMEOUT_MS must be .*between 1 and 3600000/);
    },
  );

  it('reads MODEL_TIMEOUT_MS for the demo model too', () => {
    expect(loadModelConfig({ MODEL_TIMEOUT_MS: ' 2500 ' })).toEqual({ kind: 'demo', timeoutMs: 2500 });
  });

  it('reads process.env when no settings are passed', () => {
    const saved = process.env['OPENAI_MODEL'];
    process.env['OPENAI_MODEL'] = 'gpt-4o';
    try {
      expect(() => loadModelConfig()).toThrow(ConfigurationError);
    } finally {
      if (saved === undefined) delete process.env['OPENAI_MODEL'];
      else process.env['OPENAI_MODEL'] = saved;
    }
  });
});
