import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DevhostError } from '../errors';

const hostJsonSchema = z
  .object({
    version: z.string().optional(),
    extensions: z
      .object({
        http: z.object({ routePrefix: z.string().optional() }).loose().optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

/**
 * The parts of `host.json` the front door reads, plus the whole parsed document, from which the
 * durable engine reads `extensions.durableTask` (`parseDurableSettings`).
 */
export interface HostJson {
  /** The parsed document, as written. */
  raw: Record<string, unknown>;
  /** `extensions.http.routePrefix`; `api` when unset, and may be empty. */
  routePrefix: string;
}

/**
 * Reads and validates `<appDir>/host.json`. Like the Functions host it requires the file and
 * `"version": "2.0"`; comments are not JSON and are reported as invalid JSON with the position.
 */
export function readHostJson(appDir: string): HostJson {
  const file = path.join(appDir, 'host.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new DevhostError(
      'invalid_config',
      `No host.json in ${appDir}. A Functions app folder has one; the smallest is {"version": "2.0"}.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DevhostError(
      'invalid_config',
      `${file} is not valid JSON (comments and trailing commas are not allowed): ${(error as Error).message}.`,
      { cause: error },
    );
  }
  const parsed = hostJsonSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new DevhostError('invalid_config', `${file} is not a valid host.json: ${issues}.`);
  }
  if (parsed.data.version !== '2.0') {
    throw new DevhostError(
      'invalid_config',
      `${file} has "version": ${JSON.stringify(parsed.data.version ?? null)}; the Functions v4 host needs "2.0".`,
    );
  }
  return {
    raw: parsed.data,
    routePrefix: (parsed.data.extensions?.http?.routePrefix ?? 'api').replace(/^\/+|\/+$/g, ''),
  };
}
