/**
 * `GET /api/auth/key-check`: function-level, answers 204. The host validates the key before the
 * handler runs; the API uses it to accept function keys on its anonymous, token-protected routes
 * (see `FunctionKeyValidator`).
 */
import { app } from '@azure/functions';
import { KEY_CHECK_ROUTE } from '../http/key-check';

/** Registers `GET /api/auth/key-check` (function level). */
export function registerKeyCheck(): void {
  app.http('keyCheck', {
    route: KEY_CHECK_ROUTE,
    methods: ['GET'],
    authLevel: 'function',
    handler: () => Promise.resolve({ status: 204 }),
  });
}
