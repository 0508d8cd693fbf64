import { z } from 'zod';
import { ConfigurationError } from '../core/errors';
import { hostBaseUrl } from './key-check';

const OriginSchema = z.url({ protocol: /^https?$/ }).refine((value) => {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.pathname === '/' || url.pathname === '') && url.search === '' && url.hash === '';
}, 'must be an origin only (scheme, host and port), such as https://support.example.com');

/**
 * The origin the API's absolute links (the start answer's `statusUri`, `eventsUri`...) are built on:
 * `DURABLE_HANDOFF_PUBLIC_URL` when set (a custom domain, a front door), else the app's own host
 * name from `WEBSITE_HOSTNAME` (set by Azure and by the local host), else `''`, which makes the
 * links relative to the API's origin. Never the request's `Host` header: a client that names
 * another host there would be handed links, and would send its token, to that host.
 */
export function publicOrigin(env: Readonly<Record<string, string | undefined>>): string {
  const configured = env.DURABLE_HANDOFF_PUBLIC_URL?.trim();
  if (configured) {
    const parsed = OriginSchema.safeParse(configured);
    if (!parsed.success) {
      throw new ConfigurationError(
        'DURABLE_HANDOFF_PUBLIC_URL',
        `DURABLE_HANDOFF_PUBLIC_URL '${configured.slice(0, 200)}' ${parsed.error.issues[0]?.message ?? 'is invalid'}.`,
      );
    }
    return new URL(configured).origin;
  }
  return hostBaseUrl(env) ?? '';
}
