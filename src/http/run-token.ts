import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ConfigurationError } from '../core/errors';

const TOKEN_PREFIX = 'dh1.';

/**
 * Per-run access tokens: an HMAC-SHA256 of the run id under a secret app setting. A token is an
 * unguessable capability bound to one run; it needs no storage, so any instance of a scaled-out app
 * can verify it, and it is checked in constant time.
 */
export class RunTokens {
  readonly #key: Buffer;

  constructor(secret: string) {
    if (secret.length < 16) {
      throw new ConfigurationError(
        'DURABLE_HANDOFF_TOKEN_SECRET',
        'DURABLE_HANDOFF_TOKEN_SECRET must be at least 16 characters; generate one with `openssl rand -base64 32`.',
      );
    }
    this.#key = createHash('sha256').update(secret, 'utf8').digest();
  }

  /** The token of `runId`. */
  issue(runId: string): string {
    return TOKEN_PREFIX + createHmac('sha256', this.#key).update(runId, 'utf8').digest('base64url');
  }

  /** True when `token` is the token of `runId`. */
  verify(runId: string, token: string): boolean {
    const expected = Buffer.from(this.issue(runId), 'utf8');
    const given = Buffer.from(token, 'utf8');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

// The account name and key, not the endpoints: a local Azurite may come back on other ports after a
// restart, and tokens should survive that.
function developmentSeed(env: Record<string, string | undefined>): string {
  const connection = env.AzureWebJobsStorage ?? '';
  const parts = Object.fromEntries(
    connection
      .split(';')
      .map((part) => part.split(/=(.*)/s, 2))
      .filter((pair): pair is [string, string] => pair.length === 2)
      .map(([key, value]) => [key.trim().toLowerCase(), value.trim()]),
  );
  const account = parts.accountname ?? env.AzureWebJobsStorage__accountName ?? '';
  const key = parts.accountkey ?? '';
  return account || key ? `${account}:${key}` : connection || 'durable-handoff';
}

/** How the token secret was obtained, for the start-up log (never the secret itself). */
export type TokenSecretSource = 'setting' | 'development-fallback';

/**
 * Reads `DURABLE_HANDOFF_TOKEN_SECRET`. Outside Development it is required: a random per-process secret
 * would make tokens fail on every other instance of a scaled-out app. In Development (func start and the
 * local host set `AZURE_FUNCTIONS_ENVIRONMENT=Development`) a secret is derived from the storage
 * connection, so tokens stay valid across local restarts, and the caller logs a warning.
 */
export function loadTokenSecret(env: Record<string, string | undefined> = process.env): {
  secret: string;
  source: TokenSecretSource;
} {
  const configured = env.DURABLE_HANDOFF_TOKEN_SECRET;
  if (configured !== undefined && configured !== '') return { secret: configured, source: 'setting' };
  if ((env.AZURE_FUNCTIONS_ENVIRONMENT ?? '').toLowerCase() === 'development') {
    const seed = developmentSeed(env);
    const secret = createHash('sha256')
      .update(`durable-handoff development token secret\n${seed}`)
      .digest('base64');
    return { secret, source: 'development-fallback' };
  }
  throw new ConfigurationError(
    'DURABLE_HANDOFF_TOKEN_SECRET',
    'DURABLE_HANDOFF_TOKEN_SECRET is not set. Run tokens are HMACs under this secret; set it to a random value ' +
      'of at least 16 characters (e.g. `openssl rand -base64 32`) in the app settings.',
  );
}
