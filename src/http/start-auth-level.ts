import { z } from 'zod';
import { ConfigurationError } from '../core/errors';

const AuthLevelSchema = z.enum(['anonymous', 'function']);

/**
 * The auth level of the start endpoint: `anonymous` by default (a public chat widget starts runs), or
 * `function` with `DURABLE_HANDOFF_START_AUTH_LEVEL=function`. Read when the app registers its
 * functions, because the host needs it then.
 */
export function startAuthLevel(
  env: Record<string, string | undefined> = process.env,
): 'anonymous' | 'function' {
  const raw = env.DURABLE_HANDOFF_START_AUTH_LEVEL?.trim() || 'anonymous';
  const parsed = AuthLevelSchema.safeParse(raw.toLowerCase());
  if (!parsed.success) {
    throw new ConfigurationError(
      'DURABLE_HANDOFF_START_AUTH_LEVEL',
      `DURABLE_HANDOFF_START_AUTH_LEVEL '${raw}' is not valid. Allowed values: anonymous, function.`,
    );
  }
  return parsed.data;
}
