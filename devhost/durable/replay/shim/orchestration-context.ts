/**
 * The simulated DTFx `TaskOrchestrationContext`: one id counter per execution, a map of actions
 * planned by this replay (matched against TaskScheduled/TimerCreated events in history, which
 * checks non-determinism), and the open tasks that keep an orchestration from completing.
 */
import { SimTask } from './sim-task';
import {
  activityNotScheduled,
  activityRenamed,
  activityReplacedByOtherAction,
  timerNotScheduled,
  timerReplacedByOtherAction,
  type PlannedActionTypeName,
} from './nondeterminism';

/** An action this replay planned: an activity to schedule or a timer to create. */
export type PlannedAction =
  | { kind: 'task'; id: number; name: string; input: string | null }
  | { kind: 'timer'; id: number; fireAt: string };

function typeName(action: PlannedAction): PlannedActionTypeName {
  return action.kind === 'task' ? 'ScheduleTaskOrchestratorAction' : 'CreateTimerOrchestratorAction';
}

/** DTFx's per-replay orchestration state. */
export class SimOrchestrationContext {
  /** The current episode's time (the last `OrchestratorStarted` timestamp seen). */
  currentTime: string;
  #idCounter = 0;
  readonly #planned = new Map<number, PlannedAction>();
  readonly #openTasks = new Map<number, SimTask>();

  constructor(startTime: string) {
    this.currentTime = startTime;
  }

  /** True while any scheduled activity or uncancelled timer is unfinished. */
  get hasOpenTasks(): boolean {
    return this.#openTasks.size > 0;
  }

  /** Takes the next sequence number (also used by the completion event). */
  nextId(): number {
    return this.#idCounter++;
  }

  /** `ScheduleTask`: plans an activity and returns the task its completion settles. */
  scheduleTask(name: string, input: string | null): SimTask {
    const id = this.nextId();
    this.#planned.set(id, { kind: 'task', id, name, input });
    const task = new SimTask();
    this.#openTasks.set(id, task);
    return task;
  }

  /**
   * `CreateTimer`: plans a timer. A cancelled timer is still created (it takes an id and gets a
   * TimerCreated event) but no longer counts as open, and its task settles as canceled.
   */
  createTimer(fireAt: string, canceled = false): SimTask {
    const id = this.nextId();
    this.#planned.set(id, { kind: 'timer', id, fireAt });
    const task = new SimTask();
    this.#openTasks.set(id, task);
    if (canceled) {
      this.#openTasks.delete(id);
      task.settle('canceled');
    }
    return task;
  }

  /** `HandleTaskScheduledEvent`: the replay must have planned the same activity under this id. */
  handleTaskScheduled(id: number, name: string, version: string): void {
    const planned = this.#planned.get(id);
    if (!planned) throw activityNotScheduled(id, name, version);
    if (planned.kind !== 'task') throw activityReplacedByOtherAction(id, name, typeName(planned));
    if (planned.name.toLowerCase() !== name.toLowerCase()) throw activityRenamed(id, name, planned.name);
    this.#planned.delete(id);
  }

  /** `HandleTimerCreatedEvent`: the replay must have planned a timer under this id. */
  handleTimerCreated(id: number): void {
    const planned = this.#planned.get(id);
    if (!planned) throw timerNotScheduled(id);
    if (planned.kind !== 'timer') throw timerReplacedByOtherAction(id, typeName(planned));
    this.#planned.delete(id);
  }

  /** A completion (TaskCompleted/TaskFailed/TimerFired); duplicates and unknown ids are ignored, as in DTFx. */
  handleCompletion(id: number, outcome: 'completed' | 'failed'): void {
    const task = this.#openTasks.get(id);
    if (!task) return;
    this.#openTasks.delete(id);
    task.settle(outcome);
  }

  /** Actions planned by this replay and not found in history: the new work, in id order. */
  newActions(): PlannedAction[] {
    return [...this.#planned.values()].sort((a, b) => a.id - b.id);
  }
}
