import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DevhostError } from '../errors';

/** What the host takes from `local.settings.json`. */
export interface LocalSettings {
  /** `Values`, as strings: app settings that become environment variables. */
  values: Record<string, string>;
  /** `Host.LocalHttpPort`, the default port as in `func start`. */
  localHttpPort?: number;
}

const settingValue = z.union([z.string(), z.number(), z.boolean()]);
const localSettingsSchema = z.object({
  IsEncrypted: z.boolean().optional(),
  Values: z.record(z.string(), settingValue).optional(),
  Host: z
    .object({ LocalHttpPort: z.number().int().min(0).max(65535).optional() })
    .loose()
    .optional(),
});

/**
 * Reads `<appDir>/local.settings.json`, or returns undefined when there is none. Invalid JSON, an
 * encrypted file or a value that is not a string, number or boolean is an error naming the file.
 */
export function readLocalSettings(appDir: string): LocalSettings | undefined {
  const file = path.join(appDir, 'local.settings.json');
  if (!fs.existsSync(file)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DevhostError('invalid_config', `${file} is not valid JSON: ${(error as Error).message}.`, {
      cause: error,
    });
  }
  const parsed = localSettingsSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new DevhostError(
      'invalid_config',
      `${file} does not have the local.settings.json shape ({ "Values": { "NAME": "value" }, "Host": { "LocalHttpPort": 7071 } }): ${issues}.`,
    );
  }
  if (parsed.data.IsEncrypted) {
    throw new DevhostError(
      'invalid_config',
      `${file} is encrypted ("IsEncrypted": true); the local host reads plain values only. Decrypt it (func settings decrypt) or set "IsEncrypted": false.`,
    );
  }
  const values = Object.fromEntries(Object.entries(parsed.data.Values ?? {}).map(([k, v]) => [k, String(v)]));
  const port = parsed.data.Host?.LocalHttpPort;
  return { values, ...(port === undefined ? {} : { localHttpPort: port }) };
}

/**
 * Copies settings into `target` the way `func start` does: a variable that is already set (the
 * process environment) wins. Returns the names it set.
 */
export function applyLocalSettings(
  values: Record<string, string>,
  set: (name: string, value: string) => boolean,
): string[] {
  return Object.entries(values).flatMap(([name, value]) => (set(name, value) ? [name] : []));
}
