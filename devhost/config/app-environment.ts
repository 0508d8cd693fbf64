import { nodeModule } from '../worker/node-module';

/**
 * The environment the hosted app sees: Node's own `process.env`. Under a test runner that gives
 * test files a copy of `process` (jest does), writing the copy would not reach the app, so the host
 * reads and writes this one.
 */
export function appEnvironment(): NodeJS.ProcessEnv {
  const realProcess = nodeModule()._load('process', null, false) as NodeJS.Process;
  return realProcess.env;
}

/**
 * Environment variables a host set, and how to put them back. One per running host: `restore()`
 * undoes exactly what this overlay changed, in reverse order.
 */
export class EnvironmentOverlay {
  readonly #env: NodeJS.ProcessEnv;
  readonly #previous = new Map<string, string | undefined>();

  constructor(env: NodeJS.ProcessEnv = appEnvironment()) {
    this.#env = env;
  }

  /** The environment this overlay writes to. */
  get env(): NodeJS.ProcessEnv {
    return this.#env;
  }

  /** Sets `name`, remembering the value it had before the first change. */
  set(name: string, value: string): void {
    if (!this.#previous.has(name)) this.#previous.set(name, this.#env[name]);
    this.#env[name] = value;
  }

  /** Sets `name` only when it is unset; returns true when it did. */
  setDefault(name: string, value: string): boolean {
    if (this.#env[name] !== undefined) return false;
    this.set(name, value);
    return true;
  }

  /** Puts back every variable this overlay changed. */
  restore(): void {
    for (const [name, value] of [...this.#previous].reverse()) {
      if (value === undefined) delete this.#env[name];
      else this.#env[name] = value;
    }
    this.#previous.clear();
  }
}
