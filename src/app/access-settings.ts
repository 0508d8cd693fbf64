import { z } from 'zod';
import { ConfigurationError } from '../core/errors';
import { MAX_MESSAGE_LENGTH } from '../core/run-input';

type Env = Readonly<Record<string, string | undefined>>;

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** Who may reach a run, for how long, and how much anonymous callers may start. */
export interface AccessSettings {
  /** `DURABLE_HANDOFF_TOKEN_TTL_HOURS` (default 720: 30 days): how long a run token is valid once issued. */
  tokenTtlMs: number;
  /**
   * `DURABLE_HANDOFF_TOKEN_AFTER_END_HOURS` (default 24; 0 = at once): how long the tokens of a run
   * that ended still read it (its final status and events), before they are revoked.
   */
  tokenAfterEndMs: number;
  /**
   * `DURABLE_HANDOFF_RETENTION_DAYS` (default 30; 0 = keep runs for ever): how long after it ended a
   * run is purged, its Durable history and its run store data.
   */
  retentionMs: number | undefined;
  /** `DURABLE_HANDOFF_START_LIMIT_PER_CLIENT` (default 10; 0 = none): anonymous starts per client address per minute. */
  startsPerClientPerMinute: number;
  /** `DURABLE_HANDOFF_START_LIMIT_PER_WORKFLOW` (default 120; 0 = none): anonymous starts of one workflow per minute. */
  startsPerWorkflowPerMinute: number;
  /**
   * `DURABLE_HANDOFF_CLIENT_IP_HOPS`: how many trusted proxies append to `X-Forwarded-For` (default 1
   * in Azure, whose front end appends the address it saw; 0 elsewhere: the header is not trusted).
   */
  clientIpHops: number;
  /** `DURABLE_HANDOFF_MAX_MESSAGE_CHARS` (default and most 32768): the longest message a start or reply may send. */
  maxMessageChars: number;
  /**
   * `DURABLE_HANDOFF_CORS_ORIGINS`: origins of other sites whose pages may call the API (a chat
   * widget), comma-separated; empty (the default) allows the app's own origin only.
   */
  corsOrigins: string[];
}

function integerSetting(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = /^[0-9]{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw new ConfigurationError(
      name,
      `${name} '${raw.slice(0, 40)}' is not valid: use a whole number from ${min} to ${max} (default ${fallback}).`,
    );
  }
  return value;
}

const OriginSchema = z.url({ protocol: /^https?$/ }).refine((value) => {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '';
});

function corsOrigins(env: Env): string[] {
  const raw = env.DURABLE_HANDOFF_CORS_ORIGINS?.trim() ?? '';
  if (raw === '') return [];
  return raw.split(',').map((entry) => {
    const value = entry.trim();
    if (!OriginSchema.safeParse(value).success) {
      throw new ConfigurationError(
        'DURABLE_HANDOFF_CORS_ORIGINS',
        `DURABLE_HANDOFF_CORS_ORIGINS holds '${value.slice(0, 100)}', which is not an origin: list origins ` +
          'such as https://www.example.com, comma-separated (a scheme, a host and a port if not the default; no path, no *).',
      );
    }
    return new URL(value).origin;
  });
}

/** Reads the access settings; a value out of range fails with a message naming the setting. */
export function loadAccessSettings(env: Env): AccessSettings {
  const inAzure = Boolean(env.WEBSITE_INSTANCE_ID);
  const retentionDays = integerSetting(env, 'DURABLE_HANDOFF_RETENTION_DAYS', 30, 0, 3650);
  return {
    tokenTtlMs: integerSetting(env, 'DURABLE_HANDOFF_TOKEN_TTL_HOURS', 720, 1, 87_600) * HOUR_MS,
    tokenAfterEndMs: integerSetting(env, 'DURABLE_HANDOFF_TOKEN_AFTER_END_HOURS', 24, 0, 87_600) * HOUR_MS,
    retentionMs: retentionDays === 0 ? undefined : retentionDays * DAY_MS,
    startsPerClientPerMinute: integerSetting(env, 'DURABLE_HANDOFF_START_LIMIT_PER_CLIENT', 10, 0, 1_000_000),
    startsPerWorkflowPerMinute: integerSetting(
      env,
      'DURABLE_HANDOFF_START_LIMIT_PER_WORKFLOW',
      120,
      0,
      1_000_000,
    ),
    clientIpHops: integerSetting(env, 'DURABLE_HANDOFF_CLIENT_IP_HOPS', inAzure ? 1 : 0, 0, 10),
    maxMessageChars: integerSetting(
      env,
      'DURABLE_HANDOFF_MAX_MESSAGE_CHARS',
      MAX_MESSAGE_LENGTH,
      1,
      MAX_MESSAGE_LENGTH,
    ),
    corsOrigins: corsOrigins(env),
  };
}
