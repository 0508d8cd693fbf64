import path from 'node:path';
import { nodeModule } from '../worker/node-module';

type ModuleWithPaths = ReturnType<typeof nodeModule> & { _initPaths(): void };

/** The `node_modules` folder that holds the host's own `@azure/functions` and `durable-functions`. */
export function hostNodeModules(): string {
  // <root>/node_modules/@azure/functions/package.json -> <root>/node_modules
  return path.resolve(path.dirname(require.resolve('@azure/functions/package.json')), '..', '..');
}

/**
 * Lets an app folder without its own `node_modules` load `@azure/functions` and
 * `durable-functions` from the host's, by appending that folder to `NODE_PATH` (Node's global
 * fallback for CommonJS resolution) and re-reading it. The app's own `node_modules` still win.
 * Returns the function that undoes it. ES module imports do not use `NODE_PATH`.
 */
export function addModuleFallback(env: NodeJS.ProcessEnv, folder: string = hostNodeModules()): () => void {
  const Module = nodeModule() as ModuleWithPaths;
  const previous = env.NODE_PATH;
  const entries = (previous ?? '').split(path.delimiter).filter((p) => p !== '');
  if (entries.includes(folder)) return () => undefined;
  env.NODE_PATH = [...entries, folder].join(path.delimiter);
  Module._initPaths();
  return () => {
    if (previous === undefined) delete env.NODE_PATH;
    else env.NODE_PATH = previous;
    Module._initPaths();
  };
}
