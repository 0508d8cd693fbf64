/**
 * Makes `require('@azure/functions-core')` work, as the real Node worker does: there is no npm
 * package, the worker patches `Module.prototype.require` and returns its in-memory API.
 *
 * `@azure/functions` resolves the module lazily and caches the answer, including a failure (which
 * puts it in "test mode" for good), so the hook must be installed before the app's entry files load.
 * Several hosts may live in one process (tests): each app gets a fresh copy of `@azure/functions`
 * (see load-app.ts), and the copy that asks while an app is loading gets that app's API.
 */
import { nodeModule } from './node-module';

const CORE_MODULE = '@azure/functions-core';

let installed = false;
let active: unknown;
const live: unknown[] = [];

function install(): void {
  if (installed) return;
  installed = true;
  type RequireFn = (this: NodeJS.Module, id: string) => unknown;
  const proto = nodeModule().prototype as unknown as { require: RequireFn };
  const original = proto.require;
  proto.require = function patchedRequire(this: NodeJS.Module, id: string): unknown {
    if (id === CORE_MODULE) {
      const api = active ?? live[live.length - 1];
      if (api === undefined) {
        throw Object.assign(new Error(`Cannot find module '${CORE_MODULE}'`), { code: 'MODULE_NOT_FOUND' });
      }
      return api;
    }
    return original.call(this, id);
  };
}

/**
 * Registers `coreApi` as a live worker API and makes it the one served while `load` runs.
 * Returns what `load` returns; call the returned `release` when the host stops.
 */
export async function withCoreApi<T>(
  coreApi: unknown,
  load: () => Promise<T>,
): Promise<{ value: T; release: () => void }> {
  install();
  live.push(coreApi);
  const previous = active;
  active = coreApi;
  try {
    const value = await load();
    return {
      value,
      release: () => {
        const index = live.indexOf(coreApi);
        if (index >= 0) live.splice(index, 1);
      },
    };
  } catch (error) {
    const index = live.indexOf(coreApi);
    if (index >= 0) live.splice(index, 1);
    throw error;
  } finally {
    active = previous;
  }
}
