import { DevhostError } from '../errors';
import { Disposable, type HookCallback, type HookName } from './core-types';

const hookNames: ReadonlySet<string> = new Set<HookName>([
  'preInvocation',
  'postInvocation',
  'appStart',
  'appTerminate',
  'log',
]);

/** The hooks an app registered, run in registration order as the worker does. */
export class HookRegistry {
  readonly #hooks = new Map<HookName, HookCallback[]>();

  register(name: string, callback: HookCallback): Disposable {
    if (!hookNames.has(name)) {
      // The worker throws a RangeError for unknown hooks; @azure/functions relies on that name.
      const error = new RangeError(`Unrecognized hook "${name}"`);
      Object.assign(error, { isAzureFunctionsSystemError: true });
      throw error;
    }
    const list = this.#hooks.get(name as HookName) ?? [];
    list.push(callback);
    this.#hooks.set(name as HookName, list);
    return new Disposable(() => {
      const index = list.indexOf(callback);
      if (index >= 0) list.splice(index, 1);
    });
  }

  has(name: HookName): boolean {
    return (this.#hooks.get(name)?.length ?? 0) > 0;
  }

  /** Runs the hooks of `name` one after the other, awaiting each. */
  async run(name: HookName, context: unknown): Promise<void> {
    for (const callback of [...(this.#hooks.get(name) ?? [])]) {
      await callback(context);
    }
  }

  /** Runs the hooks of `name` synchronously (log hooks must not be async). */
  runSync(name: HookName, context: unknown): void {
    for (const callback of [...(this.#hooks.get(name) ?? [])]) {
      const result = callback(context);
      if (result instanceof Promise) {
        throw new DevhostError(
          'invalid_app',
          `A ${name} hook returned a promise; ${name} hooks must be synchronous.`,
        );
      }
    }
  }
}
