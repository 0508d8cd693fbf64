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
        durableTask: z.object({ hubName: z.string().optional() }).loose().optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

/** The parts of `host.json` the host reads, plus the whole parsed document for the durable engine. */
export interface HostJson {
  /** The parsed document, as written. */
  raw: Record<string, unknown>;
  /** `extensions.http.routePrefix`; `api` when unset, and may be empty. */
  routePrefix: string;
  /** `extensions.durableTask.hubName` as written (may hold `%SETTING%`), if set. */
  hubName?: string;
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
  const hubName = parsed.data.extensions?.durableTask?.hubName;
  return {
    raw: parsed.data,
    routePrefix: (parsed.data.extensions?.http?.routePrefix ?? 'api').replace(/^\/+|\/+$/g, ''),
    ...(hubName === undefined ? {} : { hubName }),
  };
}

/** The Durable extension's default task hub name when host.json names none (and no site name is set). */
export const DEFAULT_TASK_HUB = 'TestHubName';

/**
 * Resolves the task hub name: `%SETTING%` placeholders come from the environment, as the host
 * resolves app settings in host.json. Checks the Azure Storage provider's rule (3–45 letters and
 * digits, starting with a letter) so a bad name fails at start-up, not at the first orchestration.
 */
export function resolveTaskHubName(
  hostJson: HostJson,
  env: Readonly<Record<string, string | undefined>>,
): string {
  const written = hostJson.hubName;
  if (written === undefined || written === '') return DEFAULT_TASK_HUB;
  const resolved = written.replace(/%([^%]+)%/g, (_, name: string) => {
    const value = env[name];
    if (value === undefined || value === '') {
      throw new DevhostError(
        'invalid_config',
        `host.json sets extensions.durableTask.hubName to "${written}", but the app setting ${name} is not set. Set it in local.settings.json Values or in the environment.`,
      );
    }
    return value;
  });
  if (!/^[A-Za-z][A-Za-z0-9]{2,44}$/.test(resolved)) {
    throw new DevhostError(
      'invalid_config',
      `The task hub name "${resolved}" (from host.json "${written}") is not valid: use 3 to 45 letters and digits, starting with a letter.`,
    );
  }
  return resolved;
}
