/**
 * Modules of the app the local host loaded, as the app itself sees them.
 *
 * The host forgets the app's cached modules before loading it (devhost's module isolation), so a
 * module of dist/src required before the host started is a different instance from the app's.
 * Anything the bench hands to the hosted app (a workflow to register in its registry) must come
 * from the instances the app loaded: these are required from dist/ after the host started.
 */
import { join } from 'node:path';
import { APP_DIR, PROJECT_DIR } from './bench-app-host';

/** The hosted app's modules the bench uses. */
export interface HostedAppModules {
  library: typeof import('../../../dist/src/index.js');
  customerSupport: typeof import('../../../sample/dist/workflows/customer-support.js');
  workflows: typeof import('../../../sample/dist/workflows/index.js');
  startRun: typeof import('../../../dist/src/durable/start-handoff-run.js');
  names: typeof import('../../../dist/src/durable/names.js');
  agentTurnActivity: typeof import('../../../dist/src/durable/wire/agent-turn-activity.js');
  entityPayload: typeof import('../../../dist/src/durable/store/entity-payload.js');
}

function load<T>(relativePath: string, root: string = PROJECT_DIR): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the instance the host loaded, by path
  return require(join(root, relativePath)) as T;
}

/** The hosted app's modules; call only after `startHost` loaded the app in this process. */
export function hostedAppModules(): HostedAppModules {
  return {
    library: load('dist/src/index.js'),
    customerSupport: load('dist/workflows/customer-support.js', APP_DIR),
    workflows: load('dist/workflows/index.js', APP_DIR),
    startRun: load('dist/src/durable/start-handoff-run.js'),
    names: load('dist/src/durable/names.js'),
    agentTurnActivity: load('dist/src/durable/wire/agent-turn-activity.js'),
    entityPayload: load('dist/src/durable/store/entity-payload.js'),
  };
}
