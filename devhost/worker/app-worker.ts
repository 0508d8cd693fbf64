import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import path from 'node:path';
import type {
  FunctionInvoker,
  InvocationOutcome,
  RegisteredFunction,
  RpcParameterBinding,
  RpcTypedData,
} from '../contracts';
import { DevhostError } from '../errors';
import type { LogCategory, LogLevel, LogSink } from '../log';
import { createCoreApi } from './core-api';
import type { ProgrammingModel } from './core-types';
import { isEsModule, readAppPackageJson, resolveEntryFiles } from './entry-files';
import { FunctionRegistry, type FunctionEntry } from './function-registry';
import { HookRegistry } from './hook-registry';
import { invokeFunction } from './invoke-function';
import { loadEntryFile } from './load-entry-file';
import { forgetAppModules } from './module-isolation';
import { captureHttpServers, closeServers } from './owned-servers';
import { withCoreApi } from './require-hook';

/** Options of {@link AppWorker.start}. */
export interface AppWorkerOptions {
  /** The app folder (the one with `package.json` and `host.json`). */
  appDir: string;
  /** Receives log lines of the app and of the worker. */
  log: LogSink;
}

/**
 * Plays the Azure Functions Node language worker for one app: provides `@azure/functions-core`,
 * loads the app's entry files, runs app hooks, and invokes functions through the app's own
 * `@azure/functions` programming model.
 */
export class AppWorker implements FunctionInvoker {
  readonly appDir: string;
  /** Capabilities the programming model reported (e.g. `HttpUri` when HTTP streaming is on). */
  capabilities: Record<string, string> = {};

  readonly #log: LogSink;
  readonly #registry = new FunctionRegistry();
  readonly #hooks = new HookRegistry();
  readonly #appHookData: Record<string, unknown> = {};
  // Shared by appStart and appTerminate only, as in the worker.
  readonly #appLevelOnlyHookData: Record<string, unknown> = {};
  #programmingModel: ProgrammingModel | undefined;
  #currentScript = '';
  #release: () => void = () => undefined;
  #terminated = false;
  // Servers the app's library started (the HTTP streaming proxy); closed on terminate.
  #ownedServers: Server[] = [];

  private constructor(options: AppWorkerOptions) {
    this.appDir = path.resolve(options.appDir);
    this.#log = options.log;
  }

  /** Loads the app: entry files from `package.json` `main`, then appStart hooks, then capabilities. */
  static async start(options: AppWorkerOptions): Promise<AppWorker> {
    const worker = new AppWorker(options);
    await worker.#load();
    return worker;
  }

  async #load(): Promise<void> {
    const pkg = readAppPackageJson(this.appDir, (message) => this.#systemLog('warning', message));
    const files = resolveEntryFiles(this.appDir, pkg.main);
    forgetAppModules(this.appDir);
    const coreApi = createCoreApi({
      registry: this.#registry,
      hooks: this.#hooks,
      appDirectory: this.appDir,
      currentScriptFile: () => this.#currentScript,
      setProgrammingModel: (model) => {
        this.#programmingModel = model;
      },
      getProgrammingModel: () => this.#programmingModel,
      log: (level, category, message) => this.#emit(level, category, message),
    });
    const { release } = await withCoreApi(coreApi, async () => {
      for (const file of files) {
        this.#currentScript = file;
        try {
          await loadEntryFile(file, isEsModule(file, pkg));
        } catch (error) {
          throw new DevhostError(
            'app_load_failed',
            `Worker was unable to load entry point "${path.relative(this.appDir, file)}": ${(error as Error).message}`,
            { cause: error },
          );
        }
      }
      await this.#hooks.run('appStart', {
        hookData: this.#appLevelOnlyHookData,
        appHookData: this.#appHookData,
        functionAppDirectory: this.appDir,
      });
      this.#registry.lock();
      const model = this.#programmingModel;
      if (model?.getCapabilities) {
        const { value, servers } = await captureHttpServers(async () => model.getCapabilities?.({}) ?? {});
        this.capabilities = value;
        this.#ownedServers = servers;
      }
    });
    this.#release = release;
    if (!this.#programmingModel && this.#registry.list().length > 0) {
      throw new DevhostError(
        'invalid_app',
        'The app registered functions but never set a programming model.',
      );
    }
  }

  list(): readonly RegisteredFunction[] {
    return this.#registry.list();
  }

  get(name: string): RegisteredFunction | undefined {
    return this.#registry.get(name);
  }

  async invoke(
    name: string,
    inputData: RpcParameterBinding[],
    options?: { triggerMetadata?: Record<string, RpcTypedData>; invocationId?: string },
  ): Promise<InvocationOutcome> {
    const fn = this.#registry.get(name);
    if (!fn) {
      throw new DevhostError(
        'unknown_function',
        `No function named "${name}". Registered: ${
          this.#registry
            .list()
            .map((f) => f.name)
            .join(', ') || '(none)'
        }.`,
      );
    }
    const model = this.#programmingModel;
    if (!model) throw new DevhostError('invalid_app', 'The app has no programming model.');
    return invokeFunction(
      {
        programmingModel: model,
        hooks: this.#hooks,
        appHookData: this.#appHookData,
        log: (level, category, message, entry: FunctionEntry, invocationId) =>
          this.#emit(level, category, message, entry.name, invocationId),
      },
      fn,
      options?.invocationId ?? randomUUID(),
      inputData,
      options?.triggerMetadata ?? {},
    );
  }

  /** Runs appTerminate hooks once and stops serving `@azure/functions-core` for this app. */
  async terminate(): Promise<void> {
    if (this.#terminated) return;
    this.#terminated = true;
    try {
      await this.#hooks.run('appTerminate', {
        hookData: this.#appLevelOnlyHookData,
        appHookData: this.#appHookData,
      });
    } finally {
      this.#release();
      await closeServers(this.#ownedServers);
    }
  }

  #systemLog(level: LogLevel, message: string): void {
    this.#emit(level, 'system', message);
  }

  #emit(
    level: LogLevel,
    category: LogCategory,
    message: string,
    functionName?: string,
    invocationId?: string,
  ): void {
    const entry = {
      level,
      category,
      message,
      ...(functionName ? { functionName } : {}),
      ...(invocationId ? { invocationId } : {}),
    };
    if (this.#hooks.has('log')) {
      const context = { hookData: {}, appHookData: this.#appHookData, level, category, message };
      this.#hooks.runSync('log', context);
      entry.level = context.level;
      entry.message = context.message;
    }
    this.#log(entry);
  }
}
