/**
 * A task of the simulated .NET side: settles once, runs its continuations synchronously in
 * registration order (DTFx replays on a synchronous scheduler, so continuations run inside the
 * `Handle*Event` call that settled the task).
 */

/** How a simulated task ended. */
export type SimTaskState = 'pending' | 'completed' | 'failed' | 'canceled';

/** One awaitable of the simulated orchestration context. */
export class SimTask {
  #state: SimTaskState = 'pending';
  #continuations: Array<() => void> = [];

  get state(): SimTaskState {
    return this.#state;
  }

  get settled(): boolean {
    return this.#state !== 'pending';
  }

  /** Settles the task (no-op if already settled) and runs continuations. */
  settle(state: Exclude<SimTaskState, 'pending'>): void {
    if (this.settled) return;
    this.#state = state;
    const continuations = this.#continuations;
    this.#continuations = [];
    for (const continuation of continuations) continuation();
  }

  /** Runs `continuation` when the task settles (at once if it already has). */
  then(continuation: () => void): void {
    if (this.settled) continuation();
    else this.#continuations.push(continuation);
  }

  /** A task that completes when all of `tasks` have settled (`Task.WhenAll`). */
  static whenAll(tasks: readonly SimTask[]): SimTask {
    const all = new SimTask();
    let remaining = tasks.length;
    if (remaining === 0) all.settle('completed');
    for (const task of tasks) {
      task.then(() => {
        remaining -= 1;
        if (remaining === 0) all.settle(tasks.some((t) => t.state !== 'completed') ? 'failed' : 'completed');
      });
    }
    return all;
  }

  /** A task that completes when any of `tasks` settles, canceled ones included (`Task.WhenAny`). */
  static whenAny(tasks: readonly SimTask[]): SimTask {
    const any = new SimTask();
    for (const task of tasks) task.then(() => any.settle('completed'));
    return any;
  }
}
