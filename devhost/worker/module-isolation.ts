import path from 'node:path';
import { nodeModule } from './node-module';

/** Packages whose module-level state belongs to one app instance. */
const PER_APP_PACKAGES = [
  `${path.sep}node_modules${path.sep}@azure${path.sep}functions${path.sep}`,
  `${path.sep}node_modules${path.sep}durable-functions${path.sep}`,
];

/**
 * Forgets the CommonJS modules of an app and of the libraries that keep per-app state, so the next
 * `require` loads fresh copies. The real worker gets this for free (one process per app); an
 * in-process host that starts the same app twice, or two apps, needs it. Modules already loaded by
 * a running host keep their references and are unaffected.
 */
export function forgetAppModules(appDir: string): void {
  const appPrefix = path.resolve(appDir) + path.sep;
  // Node's own cache: under jest, the `require.cache` in scope is jest's registry, not Node's.
  const cache = nodeModule()._cache;
  for (const key of Object.keys(cache)) {
    const ownCode =
      key.startsWith(appPrefix) && !key.slice(appPrefix.length).includes(`node_modules${path.sep}`);
    if (ownCode || PER_APP_PACKAGES.some((segment) => key.includes(segment))) {
      delete cache[key];
    }
  }
}
