import type { HttpRequest } from '@azure/functions';
import { ApiError } from './http-error';
import type { FunctionKeyValidator } from './key-check';
import type { RunTokens } from './run-token';

/** The run token of a request: `Authorization: Bearer <token>`, or `?token=` (EventSource cannot set headers). */
export function presentedToken(request: HttpRequest): string | undefined {
  const header = request.headers.get('authorization');
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1];
  }
  return request.query.get('token') ?? undefined;
}

function presentedKey(request: HttpRequest): string | undefined {
  return request.headers.get('x-functions-key') ?? request.query.get('code') ?? undefined;
}

/**
 * Lets a run-scoped request through if it carries the run's token, or a function key the host
 * accepts. No credentials: 401. A token of another run (or a forged one): 403.
 */
export async function authorizeRunAccess(
  request: HttpRequest,
  runId: string,
  tokens: RunTokens,
  keys: FunctionKeyValidator,
): Promise<void> {
  const token = presentedToken(request);
  if (token !== undefined) {
    if (tokens.verify(runId, token)) return;
    throw new ApiError(
      403,
      'forbidden',
      'The token does not grant access to this run. Use the token returned when the run was started.',
    );
  }
  const key = presentedKey(request);
  if (key !== undefined) {
    if (await keys.isValid(key)) return;
    throw new ApiError(401, 'unauthorized', 'The function key is not valid for this app.');
  }
  throw new ApiError(
    401,
    'unauthorized',
    'This run needs its token: send "Authorization: Bearer <token>" (or ?token=<token>), or a function key in x-functions-key.',
  );
}
