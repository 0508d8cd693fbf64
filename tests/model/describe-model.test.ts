import { describeModel, modelStartupMessage } from '../../src/model/describe-model';
import { loadModelConfig } from '../../src/model/model-config';

describe('describeModel', () => {
  it('says which Azure deployment, where, and that it signs in with Entra ID, without a key', () => {
    const config = loadModelConfig({
      AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com',
      AZURE_OPENAI_DEPLOYMENT: 'gpt-4o',
    });

    expect(describeModel(config)).toBe(
      "azure-openai deployment 'gpt-4o' at https://x.openai.azure.com (Entra ID)",
    );
  });

  it('says an API key is used but never shows it', () => {
    const azure = loadModelConfig({
      AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com',
      AZURE_OPENAI_DEPLOYMENT: 'gpt-4o',
      AZURE_OPENAI_API_KEY: 'azure-secret-1',
    });
    const local = loadModelConfig({ OPENAI_BASE_URL: 'http://localhost:1234/v1', OPENAI_MODEL: 'qwen' });

    expect(describeModel(azure)).toBe(
      "azure-openai deployment 'gpt-4o' at https://x.openai.azure.com (API key)",
    );
    expect(modelStartupMessage(azure)).not.toContain('azure-secret-1');
    expect(describeModel(local)).toBe(
      "openai-compatible model 'qwen' at http://localhost:1234/v1 (no API key)",
    );
  });

  it('announces the offline demo model and how to configure a real one', () => {
    const message = modelStartupMessage(loadModelConfig({}));

    expect(message).toMatch(/^no model configured: using the offline demo model \(set AZURE_OPENAI_ENDPOINT/);
    expect(describeModel(loadModelConfig({}))).toBe('offline demo model');
  });
});
