import { appRunStore } from '../durable/run-services';
import type { RunStore } from '../durable/store/run-store';
import { FunctionKeyValidator } from './key-check';
import { loadTokenSecret, RunTokens } from './run-token';

/**
 * Services of the HTTP API, created on first use (settings are read then, not at import time) and
 * shared by the API's functions for the life of the worker.
 */
export interface ApiServices {
  tokens: RunTokens;
  keys: FunctionKeyValidator;
  store: RunStore;
}

let services: ApiServices | undefined;

/** The app's API services; `warn` receives the one-time warning when a development token secret is used. */
export function apiServices(warn: (message: string) => void): ApiServices {
  if (!services) {
    const { secret, source } = loadTokenSecret();
    if (source === 'development-fallback') {
      warn(
        'DURABLE_HANDOFF_TOKEN_SECRET is not set: using a development secret derived from the storage connection. ' +
          'Set DURABLE_HANDOFF_TOKEN_SECRET before deploying (it is required outside Development).',
      );
    }
    services = { tokens: new RunTokens(secret), keys: new FunctionKeyValidator(), store: appRunStore() };
  }
  return services;
}
