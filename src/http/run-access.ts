import type { HttpRequest } from '@azure/functions';
import { ApiError } from './http-error';
import type { FunctionKeyValidator } from './key-check';
import type { RunTokens, TokenClaims } from './run-token';
import type { RunView } from './run-view';

/** The run token of a request: `Authorization: Bearer <token>`, or `?token=` (EventSource cannot set headers). */
export function presentedToken(request: HttpRequest): string | undefined {
  const header = request.headers.get('authorization');
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1];
  }
  return request.query.get('token') ?? undefined;
}

/** The function key of a request: `x-functions-key`, or `?code=` as the host accepts it. */
export function presentedKey(request: HttpRequest): string | undefined {
  return request.headers.get('x-functions-key') ?? request.query.get('code') ?? undefined;
}

/** How a request was let through: a function key (full access), or a run token and what it says. */
export type RunAccess = { kind: 'key' } | { kind: 'token'; claims: TokenClaims };

/**
 * Lets a run-scoped request through if it carries a token of the run with a valid signature that
 * has not expired, or a function key the host accepts. No credentials: 401. A token of another run
 * (or a forged one): 403. An expired token: 401 `token_expired`. Nothing here reads the run, so a
 * caller without a valid credential learns nothing about which runs exist; whether the token fits
 * the run's current instance is {@link assertTokenFitsRun}, once the route has read the run.
 */
export async function authorizeRunAccess(
  request: HttpRequest,
  runId: string,
  tokens: RunTokens,
  keys: FunctionKeyValidator,
): Promise<RunAccess> {
  const token = presentedToken(request);
  if (token !== undefined) {
    const checked = tokens.check(runId, token);
    if (checked.kind === 'valid') return { kind: 'token', claims: checked.claims };
    if (checked.kind === 'expired') {
      throw new ApiError(
        401,
        'token_expired',
        `The run token expired at ${new Date(checked.expiresAt).toISOString()}. Tokens are valid for ` +
          'DURABLE_HANDOFF_TOKEN_TTL_HOURS after the run starts; a function key still reaches the run.',
      );
    }
    throw new ApiError(
      403,
      'forbidden',
      'The token does not grant access to this run. Use the token returned when the run was started.',
    );
  }
  const key = presentedKey(request);
  if (key !== undefined) {
    if (await keys.isValid(key)) return { kind: 'key' };
    throw new ApiError(401, 'unauthorized', 'The function key is not valid for this app.');
  }
  throw new ApiError(
    401,
    'unauthorized',
    'This run needs its token: send "Authorization: Bearer <token>" (or ?token=<token>), or a function key in x-functions-key.',
  );
}

/** How long tokens last, for {@link assertTokenFitsRun}. */
export interface TokenLifetimes {
  /** How long a token is valid after it is issued (`dh1.` tokens: after their run started). */
  ttlMs: number;
  /** How long a finished run's tokens still read it. */
  afterEndMs: number;
}

/**
 * Refuses a token that does not fit the run as it is now: a token of an earlier run instance with
 * this id (purged, the id used again), a `dh1.` token (builds before #18) of a run that a later build
 * started, or past its TTL counted from the run's start, and the token of a run that ended more
 * than `afterEndMs` ago. A function key is not limited by any of these.
 */
export function assertTokenFitsRun(
  access: RunAccess,
  view: RunView,
  lifetimes: TokenLifetimes,
  now: number = Date.now(),
): void {
  if (access.kind === 'key') return;
  const { nonce } = access.claims;
  if (nonce !== view.nonce) {
    throw new ApiError(
      403,
      'token_revoked',
      nonce === undefined
        ? 'This token was issued by an earlier version of the app for another run with this id; it grants nothing on this run.'
        : 'This token was issued for an earlier run with this id (that run was purged); it grants nothing on this run.',
    );
  }
  if (nonce === undefined && view.createdAt !== undefined) {
    const expiresAt = Date.parse(view.createdAt) + lifetimes.ttlMs;
    if (expiresAt <= now) {
      throw new ApiError(
        401,
        'token_expired',
        `The run token expired at ${new Date(expiresAt).toISOString()} (DURABLE_HANDOFF_TOKEN_TTL_HOURS after the run started); a function key still reaches the run.`,
      );
    }
  }
  if (view.endedAt !== undefined && Date.parse(view.endedAt) + lifetimes.afterEndMs <= now) {
    throw new ApiError(
      403,
      'token_revoked',
      `The run ended at ${view.endedAt}; its tokens were revoked ${lifetimes.afterEndMs / 3_600_000} h later ` +
        '(DURABLE_HANDOFF_TOKEN_AFTER_END_HOURS). A function key still reads it until it is purged.',
    );
  }
}
