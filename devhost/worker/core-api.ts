import type { LogCategory, LogLevel } from '../log';
import {
  Disposable,
  type CoreFunctionMetadata,
  type FunctionCallback,
  type HookCallback,
  type ProgrammingModel,
} from './core-types';
import type { FunctionRegistry } from './function-registry';
import type { HookRegistry } from './hook-registry';

/** The worker version and host version this emulation reports. */
export const WORKER_VERSION = '3.12.0';
export const HOST_VERSION = '4.1040.300';

/** What the core API needs from the worker that owns it. */
export interface CoreApiOwner {
  registry: FunctionRegistry;
  hooks: HookRegistry;
  /** The entry file being loaded (becomes the function's `scriptFile`). */
  currentScriptFile(): string;
  appDirectory: string;
  setProgrammingModel(model: ProgrammingModel): void;
  getProgrammingModel(): ProgrammingModel | undefined;
  log(level: LogLevel, category: LogCategory, message: string): void;
}

/**
 * Builds the object served as `@azure/functions-core`. Its surface matches the worker's
 * `setupCoreModule.ts`; `log` is present, which `@azure/functions` reads as "host >= 4.28".
 */
export function createCoreApi(owner: CoreApiOwner): object {
  return {
    version: WORKER_VERSION,
    get hostVersion() {
      return HOST_VERSION;
    },
    registerHook: (name: string, callback: HookCallback) => owner.hooks.register(name, callback),
    setProgrammingModel: (model: ProgrammingModel) => owner.setProgrammingModel(model),
    getProgrammingModel: () => owner.getProgrammingModel(),
    log: (level: LogLevel, category: LogCategory, message: string) => owner.log(level, category, message),
    registerFunction: (metadata: CoreFunctionMetadata, callback: FunctionCallback) => {
      owner.registry.register(metadata, callback, owner.currentScriptFile(), owner.appDirectory);
      return new Disposable(() => undefined);
    },
    Disposable,
  };
}
