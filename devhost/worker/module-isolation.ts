import path from 'node:path';
import { nodeModule } from './node-module';

/** Packages whose module-level state belongs to one app instance. */
const PER_APP_PACKAGES = [
  `${path.sep}node_modules${path.sep}@azure${path.sep}functions${path.sep}`,
  `${path.sep}node_modules${path.sep}durable-functions${path.sep}`,
];

/** The host's own modules: never forgotten, a running host holds them. */
const HOST_DIR = path.resolve(__dirname, '..') + path.sep;

/**
 * Forgets the CommonJS modules of an app and of the libraries that keep per-app state, so the next
 * `require` loads fresh copies. The real worker gets this for free (one process per app); an
 * in-process host that starts the same app twice, or two apps, needs it. Modules already loaded by
 * a running host keep their references and are unaffected.
 *
 * A library the app loads from outside its folder (a package that registers functions, such as
 * durable-handoff) holds the `@azure/functions` it required first: it is forgotten too, as is every
 * module that reaches a per-app package through its requires, so a second app gets its own copies.
 */
export function forgetAppModules(appDir: string): void {
  const appPrefix = path.resolve(appDir) + path.sep;
  // Node's own cache: under jest, the `require.cache` in scope is jest's registry, not Node's.
  const cache = nodeModule()._cache as Record<string, { children?: Array<{ id: string }> } | undefined>;
  const forget = new Set<string>();
  const dependents = new Map<string, string[]>();
  for (const [key, loaded] of Object.entries(cache)) {
    const ownCode =
      key.startsWith(appPrefix) && !key.slice(appPrefix.length).includes(`node_modules${path.sep}`);
    if (ownCode || PER_APP_PACKAGES.some((segment) => key.includes(segment))) forget.add(key);
    for (const child of loaded?.children ?? []) {
      const list = dependents.get(child.id) ?? [];
      list.push(key);
      dependents.set(child.id, list);
    }
  }
  const pending = [...forget];
  for (let key = pending.pop(); key !== undefined; key = pending.pop()) {
    for (const dependent of dependents.get(key) ?? []) {
      if (forget.has(dependent) || dependent.startsWith(HOST_DIR)) continue;
      forget.add(dependent);
      pending.push(dependent);
    }
  }
  for (const key of forget) delete cache[key];
}
