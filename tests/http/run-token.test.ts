import { ConfigurationError } from '../../src/core/errors';
import { loadTokenSecret, RunTokens } from '../../src/http/run-token';

describe('run tokens', () => {
  const tokens = new RunTokens('a-secret-of-enough-length');

  it('verifies the token of its run and nothing else', () => {
    const token = tokens.issue('run-1');
    expect(tokens.verify('run-1', token)).toBe(true);
    expect(tokens.verify('run-2', token)).toBe(false);
    expect(tokens.verify('run-1', `${token}x`)).toBe(false);
    expect(tokens.verify('run-1', '')).toBe(false);
    expect(new RunTokens('another-secret-of-length').verify('run-1', token)).toBe(false);
  });

  it('rejects a short secret naming the setting', () => {
    expect(() => new RunTokens('short')).toThrow(ConfigurationError);
    expect(() => new RunTokens('short')).toThrow(
      /DURABLE_HANDOFF_TOKEN_SECRET must be at least 16 characters/,
    );
  });

  it('requires the secret outside Development', () => {
    expect(() => loadTokenSecret({})).toThrow(/DURABLE_HANDOFF_TOKEN_SECRET is not set/);
    expect(loadTokenSecret({ DURABLE_HANDOFF_TOKEN_SECRET: 'configured-secret-value' })).toEqual({
      secret: 'configured-secret-value',
      source: 'setting',
    });
  });

  it('derives a development secret that survives Azurite coming back on other ports', () => {
    const at = (port: number) => ({
      AZURE_FUNCTIONS_ENVIRONMENT: 'Development',
      AzureWebJobsStorage: `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=abc==;TableEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`,
    });
    const first = loadTokenSecret(at(10002));
    expect(first.source).toBe('development-fallback');
    expect(loadTokenSecret(at(41234)).secret).toBe(first.secret);
    expect(
      loadTokenSecret({ ...at(1), AzureWebJobsStorage: 'AccountName=other;AccountKey=xyz==' }).secret,
    ).not.toBe(first.secret);
  });
});
