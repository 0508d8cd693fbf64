import { pathToFileURL } from 'node:url';
import { nodeModule } from './node-module';

// A real dynamic import that TypeScript's CommonJS output (and jest's transform) leave alone.
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const nativeImport = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<unknown>;

/**
 * Loads one entry file with Node's own loader (not a test runner's module registry), so that the
 * app's `require('@azure/functions')` goes through the patched `Module.prototype.require`.
 */
export async function loadEntryFile(file: string, asEsModule: boolean): Promise<void> {
  if (asEsModule) {
    await nativeImport(pathToFileURL(file).href);
  } else {
    nodeModule().createRequire(file)(file);
  }
}
