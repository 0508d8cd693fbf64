import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ConfigurationError } from '../core/errors';
import { developmentTokenSecret } from './development-token-secret';

/** Tokens of builds before #18: an HMAC of the run id alone, with no instance and no expiry. */
const LEGACY_PREFIX = 'dh1.';
const TOKEN_PREFIX = 'dh2.';
const MIN_SECRET_LENGTH = 16;
/** `dh2.<nonce>.<expiry, seconds since 1970 in base 36>.<HMAC-SHA256, base64url>` */
const TOKEN_PATTERN = /^dh2\.([A-Za-z0-9_-]{22})\.([0-9a-z]{1,9})\.([A-Za-z0-9_-]{43})$/;
const LEGACY_PATTERN = /^dh1\.([A-Za-z0-9_-]{43})$/;

function keyOf(secret: string, setting: string): Buffer {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigurationError(
      setting,
      `${setting} must be at least ${MIN_SECRET_LENGTH} characters; generate one with \`openssl rand -base64 32\`.`,
    );
  }
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** What a token with a valid signature says. */
export interface TokenClaims {
  runId: string;
  /** The run instance it was issued for; undefined for a `dh1.` token of a build before #18. */
  nonce: string | undefined;
  /** When it expires (ms since 1970); undefined for a `dh1.` token, which carries no expiry. */
  expiresAt: number | undefined;
}

/** The outcome of checking a token's signature and expiry (what can be known without reading the run). */
export type TokenCheck =
  { kind: 'valid'; claims: TokenClaims } | { kind: 'invalid' } | { kind: 'expired'; expiresAt: number };

/**
 * Per-run access tokens: `dh2.<nonce>.<expiry>.<mac>`, where the MAC is an HMAC-SHA256 under a
 * secret app setting of the run id, the run instance's nonce and the expiry. A token is an
 * unguessable capability bound to one run *instance*: after a purge, a run that reuses the id has
 * another nonce, and the token grants nothing there. Its signature and expiry are checked without
 * storage, in constant time, on any instance of a scaled-out app; the nonce is compared with the
 * run's (from the status read the route makes anyway), so binding costs no extra read.
 *
 * During a secret rotation the previous secret is still accepted for verification (tokens handed
 * out before the rotation keep working), while new tokens are always issued under the current one.
 * `dh1.` tokens, issued by builds before #18 for the run id alone, still verify here; the route
 * accepts them only for runs those builds started (no nonce), until the TTL after the run's start.
 */
export class RunTokens {
  readonly #key: Buffer;
  readonly #previousKeys: readonly Buffer[];
  readonly #ttlMs: number;
  readonly #afterEndMs: number;
  readonly #now: () => number;
  /**
   * Tokens whose signature verified, by run id and token: a page polls its run's status with the
   * same token, and two HMACs (with a previous secret, three) per read were a tenth of the read's
   * app CPU (#16). Only verified tokens are kept, so a lookup tells nothing about a token not yet
   * shown; the expiry is still checked on every use. Bounded; the oldest goes first.
   */
  readonly #verified = new Map<string, TokenClaims>();

  /**
   * `ttlMs`: how long a token is valid once issued (30 days by default); `afterEndMs`: how long the
   * tokens of a run that ended still read it (a day by default); `now`: the clock (tests).
   */
  constructor(
    secret: string,
    previousSecrets: readonly string[] = [],
    options: { ttlMs?: number; afterEndMs?: number; now?: () => number } = {},
  ) {
    this.#key = keyOf(secret, 'DURABLE_HANDOFF_TOKEN_SECRET');
    this.#previousKeys = previousSecrets.map((previous) =>
      keyOf(previous, 'DURABLE_HANDOFF_TOKEN_SECRET_PREVIOUS'),
    );
    this.#ttlMs = options.ttlMs ?? DEFAULT_TOKEN_TTL_MS;
    this.#afterEndMs = options.afterEndMs ?? DEFAULT_AFTER_END_MS;
    this.#now = options.now ?? Date.now;
  }

  /** How long tokens last: after they are issued, and after their run ended. */
  get lifetimes(): { ttlMs: number; afterEndMs: number } {
    return { ttlMs: this.#ttlMs, afterEndMs: this.#afterEndMs };
  }

  /** The time tokens are checked against (ms since 1970). */
  now(): number {
    return this.#now();
  }

  /** A token for the run instance `run`, valid for the configured TTL from now. */
  issue(run: { runId: string; nonce: string }): string {
    const expiry = Math.ceil((this.#now() + this.#ttlMs) / 1000).toString(36);
    return `${TOKEN_PREFIX}${run.nonce}.${expiry}.${macUnder(this.#key, run.runId, run.nonce, expiry)}`;
  }

  /**
   * Checks `token` for run `runId`: its signature under the current or a previous secret, then its
   * expiry. Whether it fits the run's current instance is for the caller, who reads the run.
   */
  check(runId: string, token: string): TokenCheck {
    const key = `${runId}\n${token}`;
    const claims = this.#verified.get(key) ?? this.#verify(runId, token);
    if (claims === undefined) return { kind: 'invalid' };
    if (claims.expiresAt !== undefined && claims.expiresAt <= this.#now()) {
      return { kind: 'expired', expiresAt: claims.expiresAt };
    }
    if (!this.#verified.has(key)) {
      if (this.#verified.size >= MAX_VERIFIED_TOKENS) {
        this.#verified.delete(this.#verified.keys().next().value as string);
      }
      this.#verified.set(key, Object.freeze(claims));
    }
    return { kind: 'valid', claims };
  }

  /** The claims of `token` for run `runId` if its signature verifies under a key, expired or not. */
  #verify(runId: string, token: string): TokenClaims | undefined {
    const current = TOKEN_PATTERN.exec(token);
    if (current) {
      const [, nonce, expiry, mac] = current as unknown as [string, string, string, string];
      if (!this.#anyKeyGives(mac, (key) => macUnder(key, runId, nonce, expiry))) return undefined;
      return { runId, nonce, expiresAt: parseInt(expiry, 36) * 1000 };
    }
    const legacy = LEGACY_PATTERN.exec(token);
    if (legacy) {
      const mac = legacy[1]!;
      if (!this.#anyKeyGives(mac, (key) => legacyMacUnder(key, runId))) return undefined;
      return { runId, nonce: undefined, expiresAt: undefined };
    }
    return undefined;
  }

  /** True when `mac` is what `expected` gives under one of the keys; every key is tried, in constant time. */
  #anyKeyGives(mac: string, expected: (key: Buffer) => string): boolean {
    const given = Buffer.from(mac, 'utf8');
    let valid = false;
    // No early return, so the time taken does not tell which secret matched.
    for (const key of [this.#key, ...this.#previousKeys]) {
      const wanted = Buffer.from(expected(key), 'utf8');
      if (given.length === wanted.length && timingSafeEqual(given, wanted)) valid = true;
    }
    return valid;
  }
}

/** How many verified tokens a {@link RunTokens} keeps (about 200 bytes each). */
const MAX_VERIFIED_TOKENS = 1000;

/** Tokens are valid for 30 days by default: long enough for a conversation that waits days for replies. */
export const DEFAULT_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** A finished run's tokens still read it for a day by default (its final conversation, after a reload). */
export const DEFAULT_AFTER_END_MS = 24 * 60 * 60 * 1000;

function macUnder(key: Buffer, runId: string, nonce: string, expiry: string): string {
  return createHmac('sha256', key)
    .update(`${TOKEN_PREFIX}\n${runId}\n${nonce}\n${expiry}`, 'utf8')
    .digest('base64url');
}

function legacyMacUnder(key: Buffer, runId: string): string {
  return createHmac('sha256', key).update(runId, 'utf8').digest('base64url');
}

/** The `dh1.` token a build before #18 issued for `runId` (tests and the upgrade notes use it). */
export function legacyTokenUnder(secret: string, runId: string): string {
  return LEGACY_PREFIX + legacyMacUnder(keyOf(secret, 'DURABLE_HANDOFF_TOKEN_SECRET'), runId);
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
