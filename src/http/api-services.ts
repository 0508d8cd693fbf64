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
    const { secret, previous, source, file } = loadTokenSecret();
    if (source === 'development-file') {
      warn(
        `DURABLE_HANDOFF_TOKEN_SECRET is not set: run tokens use a random development secret kept in ${file} ` +
          '(generated once for this app folder; keep it private). ' +
          'Set DURABLE_HANDOFF_TOKEN_SECRET before deploying: it is required in Azure.',
      );
    }
    services = {
      tokens: new RunTokens(secret, previous),
      keys: new FunctionKeyValidator(),
      store: appRunStore(),
    };
  }
  return services;
}
