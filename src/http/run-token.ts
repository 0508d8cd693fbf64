import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ConfigurationError } from '../core/errors';
import { developmentTokenSecret } from './development-token-secret';

const TOKEN_PREFIX = 'dh1.';
const MIN_SECRET_LENGTH = 16;

function keyOf(secret: string, setting: string): Buffer {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigurationError(
      setting,
      `${setting} must be at least ${MIN_SECRET_LENGTH} characters; generate one with \`openssl rand -base64 32\`.`,
    );
  }
  return createHash('sha256').update(secret, 'utf8').digest();
}

/**
 * Per-run access tokens: an HMAC-SHA256 of the run id under a secret app setting. A token is an
 * unguessable capability bound to one run; it needs no storage, so any instance of a scaled-out app
 * can verify it, and it is checked in constant time.
 *
 * During a secret rotation the previous secret is still accepted for verification (tokens handed
 * out before the rotation keep working), while new tokens are always issued under the current one.
 */
export class RunTokens {
  readonly #key: Buffer;
  readonly #previousKeys: readonly Buffer[];

  constructor(secret: string, previousSecrets: readonly string[] = []) {
    this.#key = keyOf(secret, 'DURABLE_HANDOFF_TOKEN_SECRET');
    this.#previousKeys = previousSecrets.map((previous) =>
      keyOf(previous, 'DURABLE_HANDOFF_TOKEN_SECRET_PREVIOUS'),
    );
  }

  /** The token of `runId`. */
  issue(runId: string): string {
    return tokenUnder(this.#key, runId);
  }

  /** True when `token` is the token of `runId` under the current or a previous secret. */
  verify(runId: string, token: string): boolean {
    const given = Buffer.from(token, 'utf8');
    let valid = false;
    // Every key is tried (no early return), so the time taken does not tell which secret matched.
    for (const key of [this.#key, ...this.#previousKeys]) {
      const expected = Buffer.from(tokenUnder(key, runId), 'utf8');
      if (given.length === expected.length && timingSafeEqual(given, expected)) valid = true;
    }
    return valid;
  }
}

function tokenUnder(key: Buffer, runId: string): string {
  return TOKEN_PREFIX + createHmac('sha256', key).update(runId, 'utf8').digest('base64url');
}

/** How the token secret was obtained, for the start-up log (never the secret itself). */
export type TokenSecretSource = 'setting' | 'development-file';

/** The secrets run tokens are issued and verified with. */
export interface TokenSecrets {
  /** Issues new tokens and verifies tokens. */
  secret: string;
  /** Secrets still accepted for verification (`DURABLE_HANDOFF_TOKEN_SECRET_PREVIOUS`). */
  previous: string[];
  source: TokenSecretSource;
  /** Where a development secret is kept (source `development-file`). */
  file?: string;
}

/**
 * True when the app runs in Azure App Service / Functions, whatever `AZURE_FUNCTIONS_ENVIRONMENT`
 * says: the platform sets `WEBSITE_INSTANCE_ID` on every instance; Core Tools and the local host do not.
 */
function runsInAzure(env: Readonly<Record<string, string | undefined>>): boolean {
  return Boolean(env.WEBSITE_INSTANCE_ID);
}

/** The secrets still accepted during a rotation: `DURABLE_HANDOFF_TOKEN_SECRET_PREVIOUS`, comma-separated. */
export function previousTokenSecrets(env: Readonly<Record<string, string | undefined>>): string[] {
  return (env.DURABLE_HANDOFF_TOKEN_SECRET_PREVIOUS ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '');
}

/**
 * Reads `DURABLE_HANDOFF_TOKEN_SECRET` (and `DURABLE_HANDOFF_TOKEN_SECRET_PREVIOUS` during a rotation).
 *
 * In Azure the secret is required: a random per-instance secret would make tokens fail on every other
 * instance of a scaled-out app. Locally (`AZURE_FUNCTIONS_ENVIRONMENT=Development`, as `func start`
 * and the local host set it) a random secret is generated once for the app folder and kept in
 * `.durable-handoff/token-secret`, so tokens stay valid across local restarts. It is never derived from
 * the storage connection or any other value an attacker could know.
 */
export function loadTokenSecret(
  env: Readonly<Record<string, string | undefined>> = process.env,
): TokenSecrets {
  const previous = previousTokenSecrets(env);
  const configured = env.DURABLE_HANDOFF_TOKEN_SECRET;
  if (configured !== undefined && configured !== '') {
    return { secret: configured, previous, source: 'setting' };
  }
  const development = (env.AZURE_FUNCTIONS_ENVIRONMENT ?? '').toLowerCase() === 'development';
  if (development && !runsInAzure(env)) {
    const { secret, file } = developmentTokenSecret(env);
    return { secret, previous, source: 'development-file', file };
  }
  throw new ConfigurationError(
    'DURABLE_HANDOFF_TOKEN_SECRET',
    'DURABLE_HANDOFF_TOKEN_SECRET is not set. Run tokens are HMACs under this secret; set it to a random value ' +
      'of at least 16 characters (e.g. `openssl rand -base64 32`) in the app settings' +
      (runsInAzure(env)
        ? ' (it is required in Azure, even with AZURE_FUNCTIONS_ENVIRONMENT=Development).'
        : '.'),
  );
}
