import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigurationError } from '../core/errors';

const HostJsonSchema = z.looseObject({
  extensions: z
    .looseObject({ http: z.looseObject({ routePrefix: z.string().optional() }).optional() })
    .optional(),
});

/** A route prefix without leading or trailing slashes (`api`, `chat/v1`, or `''` for none). */
export function normalizeRoutePrefix(prefix: string): string {
  return prefix.replace(/^\/+|\/+$/g, '');
}

/**
 * The app's HTTP route prefix as the Functions host applies it: host.json's
 * `extensions.http.routePrefix` (`api` when unset; `''` for none). host.json is found in the app's
 * root, which the Functions host (and the local host) names in `AzureWebJobsScriptRoot`; without it,
 * in the working directory, where `func start` runs the worker.
 */
export function routePrefixFromHostJson(env: Readonly<Record<string, string | undefined>>): string {
  const file = path.join(env.AzureWebJobsScriptRoot || process.cwd(), 'host.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    // No host.json where the app runs (a test, a script): the Functions default.
    return 'api';
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(
      'routePrefix',
      `${file} is not valid JSON (${(error as Error).message}), so the route prefix cannot be read from it. ` +
        'Fix the file, or pass routePrefix to registerHandoffApp.',
    );
  }
  const parsed = HostJsonSchema.safeParse(json);
  const prefix = parsed.success ? parsed.data.extensions?.http?.routePrefix : undefined;
  return normalizeRoutePrefix(prefix ?? 'api');
}
