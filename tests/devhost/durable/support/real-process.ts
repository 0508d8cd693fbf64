import { nodeModule } from '../../../../devhost/worker/node-module';

/**
 * Node's own `process` object. Under jest, the test's `process.env` is a copy, while the app
 * (loaded by Node's real loader) reads the real one, e.g. `WEBSITE_HOSTNAME` in `df.getClient`.
 */
export function realProcess(): NodeJS.Process {
  return nodeModule().createRequire(__filename)('node:process') as NodeJS.Process;
}
