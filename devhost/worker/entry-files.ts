import fs from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import { DevhostError } from '../errors';

/** The app's `package.json` fields the worker reads; non-string values are ignored, as the worker does. */
export interface AppPackageJson {
  main?: string;
  type?: string;
}

/** Reads `<appDir>/package.json`; a missing or invalid file reads as `{}`, with a warning. */
export function readAppPackageJson(appDir: string, warn: (message: string) => void): AppPackageJson {
  const file = path.join(appDir, 'package.json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    warn(`Worker failed to load package.json at ${file}: ${(error as Error).message}`);
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const record = parsed as Record<string, unknown>;
  return {
    ...(typeof record.main === 'string' ? { main: record.main } : {}),
    ...(typeof record.type === 'string' ? { type: record.type } : {}),
  };
}

/**
 * Resolves `main` (a glob, e.g. `dist/src/{index.js,functions/*.js}`) to the entry files, in glob
 * order. Zero matches is an error with the same wording as the worker's.
 */
export function resolveEntryFiles(appDir: string, main: string | undefined): string[] {
  const pattern = main ?? 'index.js';
  const hasMagic = fg.isDynamicPattern(pattern);
  const files = hasMagic
    ? fg.sync(pattern, { cwd: appDir, absolute: true, onlyFiles: true, dot: false })
    : fs.existsSync(path.join(appDir, pattern))
      ? [path.join(appDir, pattern)]
      : [];
  if (files.length === 0) {
    const reason = hasMagic ? 'Found zero files matching the supplied pattern' : 'File does not exist';
    const hint = main === undefined ? ' (package.json has no "main"; build the app, or set "main")' : '';
    throw new DevhostError(
      'app_load_failed',
      `Worker was unable to load entry point "${pattern}": ${reason}${hint}. Did you run the build (e.g. npm run build)?`,
    );
  }
  return files.map((file) => path.normalize(file));
}

/** True when the worker would load `file` as an ES module. */
export function isEsModule(file: string, pkg: AppPackageJson): boolean {
  if (file.endsWith('.mjs')) return true;
  if (file.endsWith('.cjs')) return false;
  return pkg.type === 'module';
}
