import { z } from 'zod';

const nullableString = z.object({ value: z.string().nullish() }).nullish();
const nullableBool = z.object({ value: z.boolean().nullish() }).nullish();
const nullableDouble = z.object({ value: z.number().nullish() }).nullish();
const seconds = z.union([z.number(), z.string(), z.bigint(), z.object({ toNumber: z.function() })]);
const nullableTimestamp = z.object({ value: z.object({ seconds: seconds.nullish() }).nullish() }).nullish();

/** A cookie as `@azure/functions` sends it back (`RpcHttpCookie`). */
export const rpcHttpCookieSchema = z.object({
  name: z.string(),
  value: z.string(),
  domain: nullableString,
  path: nullableString,
  expires: nullableTimestamp,
  secure: nullableBool,
  httpOnly: nullableBool,
  sameSite: z.union([z.enum(['none', 'lax', 'strict', 'explicitNone']), z.number()]).nullish(),
  maxAge: nullableDouble,
});

/** One RPC cookie, validated. */
export type RpcHttpCookie = z.infer<typeof rpcHttpCookieSchema>;

function secondsOf(value: z.infer<typeof seconds>): number {
  if (typeof value === 'object') return (value.toNumber as () => number)();
  return Number(value);
}

// Protobuf enum order of RpcHttpCookie.SameSite, for hosts that pass the number.
const sameSiteByNumber = ['none', 'lax', 'strict', 'explicitNone'] as const;

/**
 * Serializes a cookie the way the Functions host writes it through ASP.NET Core's
 * `Response.Cookies.Append`: name and value percent-encoded, `path=/` unless another path is set,
 * attributes in ASP.NET's order, and `samesite` only when the app chose one.
 */
export function serializeSetCookie(cookie: RpcHttpCookie): string {
  const parts = [`${encodeURIComponent(cookie.name)}=${encodeURIComponent(cookie.value)}`];
  const expires = cookie.expires?.value?.seconds;
  if (expires !== undefined && expires !== null) {
    parts.push(`expires=${new Date(secondsOf(expires) * 1000).toUTCString()}`);
  }
  const maxAge = cookie.maxAge?.value;
  if (maxAge !== undefined && maxAge !== null) parts.push(`max-age=${Math.trunc(maxAge)}`);
  if (cookie.domain?.value) parts.push(`domain=${cookie.domain.value}`);
  parts.push(`path=${cookie.path?.value || '/'}`);
  if (cookie.secure?.value) parts.push('secure');
  const sameSite = typeof cookie.sameSite === 'number' ? sameSiteByNumber[cookie.sameSite] : cookie.sameSite;
  if (sameSite === 'lax' || sameSite === 'strict') parts.push(`samesite=${sameSite}`);
  if (sameSite === 'explicitNone') parts.push('samesite=none');
  if (cookie.httpOnly?.value) parts.push('httponly');
  return parts.join('; ');
}
