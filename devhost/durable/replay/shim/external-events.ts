/**
 * External events on the simulated .NET side (`DurableOrchestrationContext`): waiters form a stack
 * per name (the newest waiter gets the next event, so abandoned waits of a `WhenAny` loop do not
 * swallow events) and events without a waiter queue up in arrival order. Names compare
 * case-insensitively, like the extension's dictionaries.
 */
import { SimTask } from './sim-task';

/** Matches raised events to waits. */
export class ExternalEventBroker {
  readonly #waiters = new Map<string, SimTask[]>();
  readonly #buffered = new Map<string, number>();

  /** `WaitForExternalEvent`: a task settled by the next event of that name (or a buffered one). */
  wait(name: string): SimTask {
    const key = name.toLowerCase();
    const task = new SimTask();
    const stack = this.#waiters.get(key) ?? [];
    stack.push(task);
    this.#waiters.set(key, stack);
    const buffered = this.#buffered.get(key) ?? 0;
    if (buffered > 0) {
      if (buffered === 1) this.#buffered.delete(key);
      else this.#buffered.set(key, buffered - 1);
      this.raise(name);
    }
    return task;
  }

  /** An `EventRaised` event: settles the newest waiter, or buffers the event. */
  raise(name: string): void {
    const key = name.toLowerCase();
    const stack = this.#waiters.get(key);
    const waiter = stack?.pop();
    if (stack && stack.length === 0) this.#waiters.delete(key);
    if (waiter) {
      waiter.settle('completed');
      return;
    }
    this.#buffered.set(key, (this.#buffered.get(key) ?? 0) + 1);
  }
}
