import type { RegisteredFunction } from '../contracts';
import { DevhostError } from '../errors';
import type { CoreFunctionMetadata, FunctionCallback, RpcFunctionMetadata } from './core-types';

const triggerPattern = /trigger$/i;

/** A registered function with what the worker needs to invoke it. */
export interface FunctionEntry extends RegisteredFunction {
  callback: FunctionCallback;
  metadata: RpcFunctionMetadata;
}

/**
 * The functions an app registered. Registration is open while entry files load and closes at
 * indexing time, like the real worker ("A function can only be registered during app startup.").
 */
export class FunctionRegistry {
  readonly #byName = new Map<string, FunctionEntry>();
  readonly #ids = new Set<string>();
  #locked = false;

  register(
    metadata: CoreFunctionMetadata,
    callback: FunctionCallback,
    scriptFile: string,
    directory: string,
  ): void {
    if (this.#locked) {
      throw new DevhostError('registration_closed', 'A function can only be registered during app startup.');
    }
    const functionId = metadata.functionId ?? metadata.name;
    if (this.#ids.has(functionId)) {
      throw new DevhostError(
        'duplicate_function',
        `A function with id "${functionId}" has already been registered.`,
      );
    }
    const triggers = Object.entries(metadata.bindings).filter(([, binding]) =>
      triggerPattern.test(binding.type),
    );
    const trigger = triggers[0];
    if (triggers.length !== 1 || !trigger) {
      throw new DevhostError(
        'invalid_app',
        `Function "${metadata.name}" must have exactly one trigger binding; it has ${triggers.length}.`,
      );
    }
    const rpcMetadata: RpcFunctionMetadata = {
      name: metadata.name,
      functionId,
      bindings: metadata.bindings,
      rawBindings: Object.entries(metadata.bindings).map(([name, binding]) =>
        JSON.stringify({ ...binding, name }),
      ),
      scriptFile,
      directory,
      ...(metadata.retryOptions === undefined ? {} : { retryOptions: metadata.retryOptions }),
    };
    this.#ids.add(functionId);
    this.#byName.set(metadata.name, {
      name: metadata.name,
      triggerType: trigger[1].type,
      triggerBindingName: trigger[0],
      bindings: metadata.bindings,
      callback,
      metadata: rpcMetadata,
    });
  }

  lock(): void {
    this.#locked = true;
  }

  get(name: string): FunctionEntry | undefined {
    return this.#byName.get(name);
  }

  list(): FunctionEntry[] {
    return [...this.#byName.values()];
  }
}
