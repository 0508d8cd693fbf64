import path from 'node:path';
import type { StorageKind } from './cli-options';

/** What storage a host starts, decided from the options and the app's `AzureWebJobsStorage`. */
export interface StoragePlan {
  kind: StorageKind;
  /** Where keys persist; undefined means fresh keys every start. */
  dataDir?: string;
  /** The Azurite to start, if any. */
  azurite?: {
    /** `startAzurite`'s `location` (files go to `<location>/azurite`); undefined: a temporary folder. */
    location?: string;
    inMemory: boolean;
    /** Reconnect to a live Azurite of the same data folder (one left behind by a killed host). */
    reuse: boolean;
  };
  /** True when the app's `AzureWebJobsStorage` should point at the started Azurite. */
  pointAppStorageAtAzurite: boolean;
  /** How the app reaches its storage: the started Azurite, a connection string, or its identity. */
  appStorage: 'azurite' | 'connection-string' | 'identity';
  /** Where the durable engine keeps state: Table + Blob in the started Azurite, or memory. */
  durableStore: 'table' | 'memory';
}

/** True for the dev-storage shortcut (`UseDevelopmentStorage=true`, with or without options). */
export function isDevelopmentStorage(value: string): boolean {
  return /^\s*usedevelopmentstorage\s*=\s*true\s*(;|$)/i.test(value);
}

/**
 * True when the app settings hold an identity-based `AzureWebJobsStorage` connection (a service URI
 * or account name under `AzureWebJobsStorage__`), as the Functions host reads it.
 */
export function hasIdentityBasedStorage(env: NodeJS.ProcessEnv): boolean {
  return Object.entries(env).some(
    ([name, value]) =>
      /^AzureWebJobsStorage__(accountName|serviceUri|(blob|queue|table)ServiceUri)$/i.test(name) &&
      value !== undefined &&
      value.trim() !== '',
  );
}

/**
 * Decides the storage of a host:
 * - `azurite`: Azurite with files under `<dataDir>/azurite` (default `<appDir>/.devhost`), reused
 *   after a crash; durable state in its tables and blobs.
 * - `memory`: durable state in memory; keys persist only when a data folder is given.
 * In both, the app's own `AzureWebJobsStorage` points at Azurite when it is unset or the dev-storage
 * shortcut (memory mode then starts an in-memory Azurite for it); a real connection string, or an
 * identity-based connection (`AzureWebJobsStorage__tableServiceUri`... with no `AzureWebJobsStorage`),
 * is left alone, so an app can run here exactly as in Azure, with no account key in its environment. Durable state never goes to a configured account: the local engine's table layout is its
 * own, not the Durable Task storage provider's.
 */
export function planStorage(options: {
  kind: StorageKind;
  appDir: string;
  dataDir?: string;
  appStorage: string | undefined;
  /** True when the app settings hold an identity-based connection (see `hasIdentityBasedStorage`). */
  appStorageIdentity?: boolean;
}): StoragePlan {
  const unset = options.appStorage === undefined || options.appStorage.trim() === '';
  const pointAppStorageAtAzurite =
    (unset && options.appStorageIdentity !== true) ||
    (!unset && isDevelopmentStorage(options.appStorage ?? ''));
  const appStorage = pointAppStorageAtAzurite ? 'azurite' : unset ? 'identity' : 'connection-string';
  if (options.kind === 'azurite') {
    const dataDir = options.dataDir ?? path.join(options.appDir, '.devhost');
    return {
      kind: 'azurite',
      dataDir,
      azurite: { location: dataDir, inMemory: false, reuse: true },
      pointAppStorageAtAzurite,
      appStorage,
      durableStore: 'table',
    };
  }
  return {
    kind: 'memory',
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    ...(pointAppStorageAtAzurite ? { azurite: { inMemory: true, reuse: false } } : {}),
    pointAppStorageAtAzurite,
    appStorage,
    durableStore: 'memory',
  };
}
