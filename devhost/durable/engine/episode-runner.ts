/**
 * Runs orchestration episodes (DTFx's orchestration work items): take the instance's pending
 * messages, append `OrchestratorStarted` and the new events, run the orchestrator through
 * durable-functions' own replay, replay its actions the way the extension does, and commit the
 * new history, status and consumed messages in one atomic write. New activities and timers are
 * dispatched only after the commit, so the engine never holds the only copy of anything.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, FunctionInvoker } from '../../contracts';
import { DevhostError } from '../../errors';
import type { LogSink } from '../../log';
import {
  continueAsNew,
  executionCompleted,
  orchestratorCompleted,
  orchestratorStarted,
  taskScheduled,
  timerCreated,
} from '../history/event-builders';
import { EventType, OrchestrationStatusCode } from '../history/event-type';
import type { HistoryEvent } from '../history/history-event';
import {
  buildOrchestrationPayload,
  historyEventsJson,
  orchestrationPayloadJson,
} from '../replay/orchestration-payload';
import type { RecordedEpisode } from '../replay/recording';
import { describeOutcome, replayShim, type ShimReplay } from '../replay/shim/replay-shim';
import { isTerminal } from '../runtime-status';
import type { DurableSettings } from '../settings';
import type { InboxMessage, InstanceRecord, InstanceStore, StoredInstance } from '../store/instance-store';
import { nextTimestamp } from '../time/dotnet-time';
import { startMessage } from './inbox-messages';
import { activityNames, callOrchestratorWithJson } from './orchestrator-call';
import type { Recorder } from './recorder';
import { selectMessages } from './select-messages';

/** An activity to run after an episode committed. */
export interface TaskWork {
  taskId: number;
  name: string;
  /** `TaskScheduled.Input`: DTFx's one-element JSON array. */
  input: string | null;
}

/** A timer to arm after an episode committed. */
export interface TimerWork {
  timerId: number;
  fireAt: string;
}

/** What the episode runner needs. */
export interface EpisodeRunnerDeps {
  store: InstanceStore;
  invoker: FunctionInvoker;
  clock: Clock;
  settings: DurableSettings;
  log: LogSink;
  recorder: Recorder;
  /** New work of a running instance, after its commit. */
  dispatch(instanceId: string, executionId: string, tasks: TaskWork[], timers: TimerWork[]): void;
  /** The instance record changed. */
  changed(record: InstanceRecord): void;
  /** Background work the engine should wait for (history cleanup). */
  background(work: Promise<void>): void;
}

interface CachedHistory {
  etag: string;
  executionId: string;
  events: HistoryEvent[];
  /**
   * The payload's JSON text of the first `count` events as played: an episode serializes only the
   * events added since the previous one, not the whole history again (#16).
   */
  played?: { count: number; json: string };
}

interface EpisodePlan {
  events: HistoryEvent[];
  /** The orchestrator invocation, recorded once the episode committed. */
  recorded?: RecordedEpisode;
  record: InstanceRecord;
  enqueue: InboxMessage[];
  tasks: TaskWork[];
  timers: TimerWork[];
  continuedFrom?: string;
}

function maxEventId(history: readonly HistoryEvent[]): number {
  return history.reduce((max, e) => Math.max(max, e.EventId), -1);
}

/** Runs episodes; keeps each instance's current history cached between episodes. */
export class EpisodeRunner {
  readonly #deps: EpisodeRunnerDeps;
  readonly #cache = new Map<string, CachedHistory>();

  constructor(deps: EpisodeRunnerDeps) {
    this.#deps = deps;
  }

  /** Forgets the cached history of an instance (after a purge or a restart of the instance). */
  forget(instanceId: string): void {
    this.#cache.delete(instanceId);
  }

  /** Runs one episode of `instanceId`; resolves true when more messages can run right away. */
  async runEpisode(instanceId: string): Promise<boolean> {
    const { store } = this.#deps;
    const stored = await store.getInstance(instanceId);
    if (!stored) {
      this.#cache.delete(instanceId);
      return false;
    }
    const inbox = await store.readInbox(instanceId);
    if (inbox.length === 0) return false;
    const history = await this.#history(stored);
    const { record } = stored;
    const selection = selectMessages(record, history, inbox, this.#deps.settings.controlQueueBatchSize);
    const now = this.#deps.clock.now();
    const timestamp = nextTimestamp(now, record.lastEventTime);
    const base: InstanceRecord = { ...record, lastUpdatedTime: now.toISOString(), lastEventTime: timestamp };

    let plan: EpisodePlan;
    switch (selection.kind) {
      case 'none':
        if (selection.consumed.length === 0) return false;
        await this.#commit(
          stored,
          { events: [], record, enqueue: [], tasks: [], timers: [] },
          selection.consumed,
          history,
        );
        return selection.remaining;
      case 'suspend':
        plan = {
          events: [orchestratorStarted(timestamp), selection.event, orchestratorCompleted(timestamp)],
          record: { ...base, runtimeStatus: 'Suspended' },
          enqueue: [],
          tasks: [],
          timers: [],
        };
        break;
      case 'terminate': {
        const completionId = maxEventId([...history, ...selection.events]) + 1;
        plan = {
          events: [
            orchestratorStarted(timestamp),
            ...selection.events,
            ...this.#terminatedEvents(timestamp, completionId, selection.reason),
            orchestratorCompleted(timestamp),
          ],
          record: { ...base, runtimeStatus: 'Terminated', output: selection.reason },
          enqueue: [],
          tasks: [],
          timers: [],
        };
        break;
      }
      case 'events':
        plan = await this.#runOrchestrator(stored, history, selection.events, timestamp, base);
        break;
    }
    const committed = await this.#commit(stored, plan, selection.consumed, history);
    if (!committed) return true;
    if (plan.recorded) this.#deps.recorder.add(instanceId, record.name, record.executionId, plan.recorded);
    if (plan.tasks.length > 0 || plan.timers.length > 0) {
      this.#deps.dispatch(instanceId, record.executionId, plan.tasks, plan.timers);
    }
    if (plan.continuedFrom !== undefined) {
      this.#deps.background(store.deleteHistory(instanceId, plan.continuedFrom));
    }
    this.#deps.changed(plan.record);
    return selection.remaining || plan.continuedFrom !== undefined;
  }

  #terminatedEvents(timestamp: string, completionId: number, reason: string | null): HistoryEvent[] {
    return [executionCompleted(timestamp, completionId, OrchestrationStatusCode.Terminated, reason)];
  }

  async #runOrchestrator(
    stored: StoredInstance,
    history: HistoryEvent[],
    messages: HistoryEvent[],
    timestamp: string,
    base: InstanceRecord,
  ): Promise<EpisodePlan> {
    const { record } = stored;
    const newEvents = [orchestratorStarted(timestamp), ...messages];
    const payloadJson = orchestrationPayloadJson(
      record.instanceId,
      history,
      this.#playedJson(record.instanceId, history),
      newEvents,
    );
    const result = await callOrchestratorWithJson(this.#deps.invoker, record.name, payloadJson);
    const replay = replayShim({
      orchestratorName: record.name,
      history: [...history, ...newEvents],
      result,
      knownActivities: activityNames(this.#deps.invoker),
      maxOrchestrationActions: this.#deps.settings.maxOrchestrationActions,
    });
    if (replay.outcome.kind === 'failed') {
      this.#deps.log({
        level: 'warning',
        category: 'system',
        functionName: record.name,
        message: `Instance ${record.instanceId} failed: ${replay.outcome.reason}`,
      });
    }
    const plan = this.#plan(record, base, newEvents, replay, timestamp);
    if (this.#deps.recorder.enabled) {
      const payload = buildOrchestrationPayload(record.instanceId, history, newEvents);
      plan.recorded = { payload, result, verdict: describeOutcome(replay.outcome) };
    }
    return plan;
  }

  /** The played events' JSON text of `history`, extended from the cached text when there is one. */
  #playedJson(instanceId: string, history: HistoryEvent[]): string {
    const cached = this.#cache.get(instanceId);
    const own = cached?.events === history ? cached : undefined;
    const from = own?.played && own.played.count <= history.length ? own.played : { count: 0, json: '' };
    const added = historyEventsJson(history.slice(from.count), true);
    const json = from.json === '' ? added : added === '' ? from.json : `${from.json},${added}`;
    if (own) own.played = { count: history.length, json };
    return json;
  }

  #plan(
    record: InstanceRecord,
    base: InstanceRecord,
    newEvents: HistoryEvent[],
    replay: ShimReplay,
    timestamp: string,
  ): EpisodePlan {
    const events = [...newEvents];
    const tasks: TaskWork[] = [];
    const timers: TimerWork[] = [];
    for (const action of replay.newActions) {
      if (action.kind === 'task') {
        events.push(taskScheduled(timestamp, action.id, action.name, action.input));
        tasks.push({ taskId: action.id, name: action.name, input: action.input });
      } else {
        events.push(timerCreated(timestamp, action.id, action.fireAt));
        timers.push({ timerId: action.id, fireAt: action.fireAt });
      }
    }
    const customStatus = replay.customStatus ?? record.customStatus;
    const { outcome } = replay;
    const id = replay.completionEventId ?? maxEventId(events) + 1;
    const close = (
      next: InstanceRecord,
      enqueue: InboxMessage[] = [],
      continuedFrom?: string,
    ): EpisodePlan => ({
      events: [...events, orchestratorCompleted(timestamp)],
      record: next,
      enqueue,
      tasks: outcome.kind === 'running' ? tasks : [],
      timers: outcome.kind === 'running' ? timers : [],
      ...(continuedFrom === undefined ? {} : { continuedFrom }),
    });
    switch (outcome.kind) {
      case 'running':
        return close({ ...base, runtimeStatus: 'Running', customStatus });
      case 'completed':
        events.push(executionCompleted(timestamp, id, OrchestrationStatusCode.Completed, outcome.output));
        return close({ ...base, runtimeStatus: 'Completed', customStatus, output: outcome.output });
      case 'failed':
        events.push(executionCompleted(timestamp, id, OrchestrationStatusCode.Failed, outcome.reason));
        return close({ ...base, runtimeStatus: 'Failed', customStatus, output: outcome.reason });
      case 'continuedAsNew': {
        events.push(continueAsNew(timestamp, id, outcome.input));
        const startTime = nextTimestamp(this.#deps.clock.now(), timestamp);
        const next: InstanceRecord = {
          ...base,
          executionId: randomUUID().replace(/-/g, ''),
          generation: record.generation + 1,
          runtimeStatus: 'ContinuedAsNew',
          input: outcome.input,
          output: null,
          customStatus,
          createdTime: new Date(Date.parse(startTime)).toISOString(),
          lastEventTime: startTime,
          episodes: 0,
        };
        return close(next, [startMessage(next, startTime)], record.executionId);
      }
    }
  }

  async #history(stored: StoredInstance): Promise<HistoryEvent[]> {
    const { record, etag } = stored;
    const cached = this.#cache.get(record.instanceId);
    if (cached && cached.etag === etag && cached.executionId === record.executionId) return cached.events;
    const events = await this.#deps.store.readHistory(record.instanceId, record.executionId);
    this.#cache.set(record.instanceId, { etag, executionId: record.executionId, events });
    return events;
  }

  async #commit(
    stored: StoredInstance,
    plan: EpisodePlan,
    consumed: string[],
    history: HistoryEvent[],
  ): Promise<boolean> {
    const { record } = stored;
    const appending = plan.events.length > 0;
    const next: InstanceRecord =
      appending && plan.continuedFrom === undefined
        ? { ...plan.record, episodes: record.episodes + 1 }
        : plan.record;
    try {
      const etag = await this.#deps.store.commitEpisode({
        instanceId: record.instanceId,
        etag: stored.etag,
        record: next,
        ...(appending
          ? { append: { executionId: record.executionId, chunk: record.episodes, events: plan.events } }
          : {}),
        consumed,
        ...(plan.enqueue.length > 0 ? { enqueue: plan.enqueue } : {}),
      });
      plan.record = next;
      if (isTerminal(next.runtimeStatus)) {
        // Finished instances rarely run again: do not keep their history in memory.
        this.#cache.delete(record.instanceId);
      } else {
        const sameExecution = next.executionId === record.executionId;
        const previous = this.#cache.get(record.instanceId);
        const played = sameExecution && previous?.events === history ? previous.played : undefined;
        this.#cache.set(record.instanceId, {
          etag,
          executionId: next.executionId,
          events: sameExecution ? [...history, ...plan.events] : [],
          ...(played ? { played } : {}),
        });
      }
      return true;
    } catch (error) {
      this.#cache.delete(record.instanceId);
      if (error instanceof DevhostError && error.code === 'store_conflict') return false;
      throw error;
    }
  }
}

/** True when `history` shows the execution started (used by recovery). */
export function hasStarted(history: readonly HistoryEvent[]): boolean {
  return history.some((e) => e.EventType === EventType.ExecutionStarted);
}
