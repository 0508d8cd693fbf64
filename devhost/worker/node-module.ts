import Module from 'node:module';

type NodeModuleClass = typeof Module & {
  _cache: Record<string, unknown>;
  _load: (request: string, parent: unknown, isMain: boolean) => unknown;
};

/**
 * Node's own `Module` class. Test runners such as jest hand out a subclass of it whose
 * `createRequire` loads into the runner's registry; the app must load through Node's real loader so
 * that `@azure/functions` meets the patched `require` and gets a fresh, private module state.
 */
export function nodeModule(): NodeModuleClass {
  const parent: unknown = Object.getPrototypeOf(Module);
  if (typeof parent === 'function' && (parent as { name?: string }).name === 'Module' && '_load' in parent) {
    return parent as NodeModuleClass;
  }
  return Module as NodeModuleClass;
}
