/**
 * `durable-handoff init`: writes the minimal app of `app-template.ts` into a folder. Files that exist
 * are kept as they are, except package.json, which gets a `main` (when it has none, or names a file
 * that does not exist, as `npm init -y`'s index.js) and a `start` script when it has none.
 */
import fs from 'node:fs';
import path from 'node:path';
import { APP_MAIN, GITIGNORE, HOST_JSON, LOCAL_SETTINGS, REGISTRATION_JS, WORKFLOW_JS } from './app-template';

/** What {@link scaffoldApp} did, with paths relative to the app folder. */
export interface ScaffoldResult {
  written: string[];
  kept: string[];
  /** Packages the app needs that it cannot load yet (`durable-handoff`, `azurite`). */
  missingPackages: string[];
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function canResolve(name: string, appDir: string): boolean {
  try {
    require.resolve(`${name}/package.json`, { paths: [appDir] });
    return true;
  } catch {
    return false;
  }
}

/** Fills in package.json's `main` and `start`; returns true when it changed the file. */
function preparePackageJson(appDir: string): boolean {
  const file = path.join(appDir, 'package.json');
  const manifest = fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>)
    : {
        name: path
          .basename(appDir)
          .toLowerCase()
          .replace(/[^a-z0-9-]+/g, '-'),
        version: '0.1.0',
        private: true,
      };
  const main = typeof manifest['main'] === 'string' ? manifest['main'] : undefined;
  let changed = !fs.existsSync(file);
  if (main === undefined || (!main.includes('*') && !fs.existsSync(path.join(appDir, main)))) {
    manifest['main'] = APP_MAIN;
    changed = true;
  }
  const scripts = (manifest['scripts'] ?? {}) as Record<string, string>;
  if (scripts['start'] === undefined) {
    manifest['scripts'] = { ...scripts, start: 'durable-handoff host' };
    changed = true;
  }
  if (changed) fs.writeFileSync(file, json(manifest));
  return changed;
}

/** Writes the minimal app into `appDir` (created if missing) and says what it wrote and kept. */
export function scaffoldApp(appDir: string): ScaffoldResult {
  fs.mkdirSync(appDir, { recursive: true });
  const result: ScaffoldResult = { written: [], kept: [], missingPackages: [] };
  const files: [string, string][] = [
    ['host.json', json(HOST_JSON)],
    ['local.settings.json', json(LOCAL_SETTINGS)],
    ['src/functions/handoff.js', REGISTRATION_JS],
    ['src/workflows/support-desk.js', WORKFLOW_JS],
    ['.gitignore', GITIGNORE],
  ];
  for (const [relative, content] of files) {
    const target = path.join(appDir, relative);
    if (fs.existsSync(target)) {
      result.kept.push(relative);
      continue;
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
    result.written.push(relative);
  }
  if (preparePackageJson(appDir)) result.written.push('package.json');
  else result.kept.push('package.json');
  result.missingPackages = ['durable-handoff', 'azurite'].filter((name) => !canResolve(name, appDir));
  return result;
}
