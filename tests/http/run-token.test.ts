import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigurationError } from '../../src/core/errors';
import { legacyTokenUnder, loadTokenSecret, RunTokens } from '../../src/http/run-token';

/** Azurite's published development account, as every local connection string names it. */
const AZURITE_CONNECTION =
  'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;';

/** What the earlier build derived its development secret from: public values only. */
function secretDerivedFromAzuriteKey(): string {
  const seed =
    'devstoreaccount1:Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
  return createHash('sha256').update(`durable-handoff development token secret\n${seed}`).digest('base64');
}

const NONCE = 'AAAAAAAAAAAAAAAAAAAAAA';
const OTHER_NONCE = 'BBBBBBBBBBBBBBBBBBBBBB';

describe('run tokens', () => {
  const tokens = new RunTokens('a-secret-of-enough-length');
  const valid = (token: string, runId = 'run-1') => {
    const checked = tokens.check(runId, token);
    return checked.kind === 'valid' ? checked.claims : undefined;
  };

  it('verifies the token of its run and nothing else', () => {
    const token = tokens.issue({ runId: 'run-1', nonce: NONCE });
    expect(valid(token)).toMatchObject({ runId: 'run-1', nonce: NONCE });
    expect(valid(token, 'run-2')).toBeUndefined();
    expect(valid(`${token}x`)).toBeUndefined();
    expect(valid('')).toBeUndefined();
    expect(new RunTokens('another-secret-of-length').check('run-1', token).kind).toBe('invalid');
  });

  it('checks the expiry of a token it verified before on every use', () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const clocked = new RunTokens('a-secret-of-enough-length', [], { ttlMs: 60_000, now: () => now });
    const token = clocked.issue({ runId: 'run-1', nonce: NONCE });
    expect(clocked.check('run-1', token).kind).toBe('valid');
    expect(clocked.check('run-2', token).kind).toBe('invalid');
    now += 61_000;
    expect(clocked.check('run-1', token).kind).toBe('expired');
    expect(clocked.check('run-2', token).kind).toBe('invalid');
  });

  it('binds a token to the run instance: a token cannot be moved to another nonce', () => {
    const token = tokens.issue({ runId: 'run-1', nonce: NONCE });
    expect(token).toMatch(/^dh2\.[A-Za-z0-9_-]{22}\.[0-9a-z]+\.[A-Za-z0-9_-]{43}$/);
    const moved = token.replace(NONCE, OTHER_NONCE);
    expect(tokens.check('run-1', moved).kind).toBe('invalid');
  });

  it('expires after its TTL, and its expiry cannot be extended', () => {
    let now = Date.parse('2026-12-01T00:00:00Z');
    const clocked = new RunTokens('a-secret-of-enough-length', [], { ttlMs: 3_600_000, now: () => now });
    const token = clocked.issue({ runId: 'run-1', nonce: NONCE });
    expect(clocked.check('run-1', token).kind).toBe('valid');
    const [, nonce, expiry, mac] = token.split('.');
    const extended = `dh2.${nonce}.${(parseInt(expiry!, 36) + 86_400).toString(36)}.${mac}`;
    expect(clocked.check('run-1', extended).kind).toBe('invalid');
    now += 3_600_000;
    expect(clocked.check('run-1', token)).toEqual({
      kind: 'expired',
      expiresAt: parseInt(expiry!, 36) * 1000,
    });
  });

  it('still verifies a dh1 token of the previous build, without a nonce or expiry', () => {
    const legacy = legacyTokenUnder('a-secret-of-enough-length', 'run-1');
    expect(legacy).toMatch(/^dh1\./);
    expect(tokens.check('run-1', legacy)).toEqual({
      kind: 'valid',
      claims: { runId: 'run-1', nonce: undefined, expiresAt: undefined },
    });
    expect(tokens.check('run-2', legacy).kind).toBe('invalid');
  });

  it('rejects a short secret naming the setting', () => {
    expect(() => new RunTokens('short')).toThrow(ConfigurationError);
    expect(() => new RunTokens('short')).toThrow(
      /DURABLE_HANDOFF_TOKEN_SECRET must be at least 16 characters/,
    );
    expect(() => new RunTokens('long-enough-secret', ['short'])).toThrow(
      /DURABLE_HANDOFF_TOKEN_SECRET_PREVIOUS must be at least 16 characters/,
    );
  });

  it('accepts tokens of the previous secret during a rotation and issues only under the new one', () => {
    const now = () => 1_700_000_000_000;
    const before = new RunTokens('the-old-secret-value-0001', [], { now });
    const during = new RunTokens('the-new-secret-value-0002', ['the-old-secret-value-0001'], { now });
    const after = new RunTokens('the-new-secret-value-0002', [], { now });
    const oldToken = before.issue({ runId: 'run-1', nonce: NONCE });
    expect(during.check('run-1', oldToken).kind).toBe('valid');
    expect(during.check('run-2', oldToken).kind).toBe('invalid');
    expect(during.issue({ runId: 'run-1', nonce: NONCE })).toBe(
      after.issue({ runId: 'run-1', nonce: NONCE }),
    );
    expect(after.check('run-1', oldToken).kind).toBe('invalid');
  });
});

describe('the token secret', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'token-secret-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const development = (appRoot: string, extra: Record<string, string> = {}) => ({
    AZURE_FUNCTIONS_ENVIRONMENT: 'Development',
    AzureWebJobsStorage: AZURITE_CONNECTION,
    AzureWebJobsScriptRoot: appRoot,
    ...extra,
  });

  it('requires the setting outside Development and uses it when set', () => {
    expect(() => loadTokenSecret({})).toThrow(/DURABLE_HANDOFF_TOKEN_SECRET is not set/);
    expect(loadTokenSecret({ DURABLE_HANDOFF_TOKEN_SECRET: 'configured-secret-value' })).toEqual({
      secret: 'configured-secret-value',
      previous: [],
      source: 'setting',
    });
  });

  it('reads previous secrets for a rotation from DURABLE_HANDOFF_TOKEN_SECRET_PREVIOUS', () => {
    const loaded = loadTokenSecret({
      DURABLE_HANDOFF_TOKEN_SECRET: 'configured-secret-value',
      DURABLE_HANDOFF_TOKEN_SECRET_PREVIOUS: ' old-secret-value-1 , old-secret-value-2 ',
    });
    expect(loaded.previous).toEqual(['old-secret-value-1', 'old-secret-value-2']);
  });

  it('requires the setting in Azure even when the environment says Development', () => {
    expect(() => loadTokenSecret(development(root, { WEBSITE_INSTANCE_ID: 'a1b2c3' }))).toThrow(
      /required in Azure/,
    );
    expect(fs.existsSync(path.join(root, '.durable-handoff'))).toBe(false);
  });

  it('never derives the development secret from the storage connection (Azurite publishes its key)', () => {
    const loaded = loadTokenSecret(development(root));
    expect(loaded.source).toBe('development-file');
    expect(loaded.secret).not.toBe(secretDerivedFromAzuriteKey());
    const forged = new RunTokens(secretDerivedFromAzuriteKey()).issue({ runId: 'run-1', nonce: NONCE });
    expect(new RunTokens(loaded.secret).check('run-1', forged).kind).toBe('invalid');
  });

  it('generates a random development secret once per app folder and keeps it private', () => {
    const first = loadTokenSecret(development(root));
    const file = path.join(root, '.durable-handoff', 'token-secret');
    expect(first.file).toBe(file);
    expect(first.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fs.statSync(file).mode & 0o077).toBe(0);
    expect(fs.readFileSync(path.join(root, '.durable-handoff', '.gitignore'), 'utf8')).toBe('*\n');
    // Survives a restart, whatever port Azurite comes back on.
    expect(
      loadTokenSecret(
        development(root, { AzureWebJobsStorage: AZURITE_CONNECTION.replace('10002', '41234') }),
      ).secret,
    ).toBe(first.secret);
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'token-secret-other-'));
    try {
      expect(loadTokenSecret(development(other)).secret).not.toBe(first.secret);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('gives processes that create the secret at the same moment one and the same secret', async () => {
    const module = path.resolve(__dirname, '../../dist/src/http/run-token.js');
    const script = `process.stdout.write(require(${JSON.stringify(module)}).loadTokenSecret(process.env).secret)`;
    const secrets = await Promise.all(
      Array.from(
        { length: 6 },
        () =>
          new Promise<string>((resolve, reject) => {
            const child = spawn(process.execPath, ['-e', script], {
              env: { ...process.env, ...development(root) },
              stdio: ['ignore', 'pipe', 'inherit'],
            });
            let out = '';
            child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
            child.on('error', reject);
            // 'close', not 'exit': a loaded machine can report the exit before the child's stdout is read.
            child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
          }),
      ),
    );
    expect(new Set(secrets).size).toBe(1);
    expect(fs.readdirSync(path.join(root, '.durable-handoff')).sort()).toEqual([
      '.gitignore',
      'token-secret',
    ]);
  });

  it('refuses a secret file that was not generated, saying how to recover', () => {
    fs.mkdirSync(path.join(root, '.durable-handoff'));
    fs.writeFileSync(path.join(root, '.durable-handoff', 'token-secret'), 'devstoreaccount1\n');
    expect(() => loadTokenSecret(development(root))).toThrow(/Delete the file to get a new one/);
  });
});
