/**
 * The handoff run as a pure state machine. The orchestrator generator feeds it the results of
 * durable tasks and asks it what to do next; everything it decides depends only on its input and
 * those results, so it replays identically. No I/O, no clock and no randomness of its own: the
 * orchestrator hands it, once, its replay-safe clock and id source (see {@link RunEnvironment}).
 */
import {
  HANDOFF_COORDINATOR_ID,
  INPUT_EXECUTOR_ID,
  type StopReason,
  type WorkflowEvent,
} from '../../core/events';
import { toConversation, type TranscriptMessage } from '../../core/messages';
import { addUsage, ZERO_USAGE } from '../../core/model';
import type { RunPlan } from '../../core/run-plan';
import type { StoredReply } from '../store/run-store';
import type { AgentTurnOutput } from '../wire/agent-turn-activity';
import type { CarriedState, OrchestrationInput } from '../wire/orchestration-input';
import type { RunOutput } from '../wire/run-output';
import { MAX_STATUS_PROMPT, type RunStatus } from '../wire/run-status';
import type { SyncRunInput } from '../wire/sync-run-activity';
import type { UserReply } from '../wire/user-reply-event';
import { EventLog } from './event-log';
import { stateFor, type OpenRequest, type Step } from './run-step';

export type { OpenRequest, Step } from './run-step';

/** How many reply ids a run remembers for de-duplication. */
const RECENT_REPLY_IDS = 200;

/** How many times in a row a turn may wait for a rate limit to lift, and the longest wait honoured. */
const MAX_RATE_LIMIT_WAITS = 5;
const MAX_RATE_LIMIT_WAIT_MS = 60 * 60 * 1000;

/** Where the run is: derived from whether it stopped and whether a request is open. */
type Phase = 'agent' | 'awaiting' | 'finished';

/** The run's state that a continue-as-new carries (the event log keeps `nextSeq` and the pending events). */
type CarriedRunState = Omit<CarriedState, 'schemaVersion' | 'nextSeq' | 'pendingEvents'>;

/** What the orchestration supplies once, replay-safe: its clock and new ids (`context.df.newGuid`). */
export interface RunEnvironment {
  /** The orchestration's current time (ISO 8601). */
  readonly now: () => string;
  /** A new id for a request for human input. */
  readonly newId: () => string;
}

/** See the module comment. One instance per orchestrator generation. */
export class RunMachine {
  readonly #input: OrchestrationInput;
  readonly #env: RunEnvironment;
  #plan: RunPlan;
  readonly #log: EventLog;
  /** Everything a continue-as-new carries over, in one object. */
  readonly #state: CarriedRunState;
  #generationTurns = 0;
  #request: OpenRequest | undefined;
  #queuedReplies: StoredReply[] = [];
  #stop: { reason: StopReason; error?: { code: string; message: string } } | undefined;
  #outputEvent: { seq: number; timestamp: string; stopReason: StopReason } | undefined;
  /** When a rate-limited turn is tried again, and how many times in a row it waited. */
  #retryAt: string | undefined;
  #rateLimitWaits = 0;
  /**
   * What the agent turn in flight was handed. A turn that never completes (it failed on every
   * attempt, or the run was cancelled while it ran) may not have stored it, so the finish activity
   * is handed it again: its writes are idempotent upserts, and the event log keeps no gap.
   */
  #inFlight: { events: WorkflowEvent[]; append: TranscriptMessage[] } | undefined;

  private constructor(input: OrchestrationInput, env: RunEnvironment, carried: CarriedState | undefined) {
    this.#input = input;
    this.#env = env;
    this.#plan = input.plan;
    this.#log = new EventLog(carried?.nextSeq ?? 1, carried?.pendingEvents ?? [], env.now);
    this.#state = structuredClone({
      generation: carried?.generation ?? 1,
      messageCount: carried?.messageCount ?? 0,
      unsaved: carried?.unsaved ?? [],
      activeAgent: carried?.activeAgent ?? input.plan.startAgent,
      turn: carried?.turn ?? 0,
      autonomousTurns: carried?.autonomousTurns ?? {},
      checkTerminationFirst: carried?.checkTerminationFirst ?? true,
      recentReplyIds: carried?.recentReplyIds ?? [],
      unmarkedReplyIds: carried?.unmarkedReplyIds ?? [],
      usage: carried?.usage ?? {},
      handoffs: carried?.handoffs ?? 0,
    });
  }

  /** A new run: records `started` and the input step, with the initial messages. */
  static start(input: OrchestrationInput, env: RunEnvironment): RunMachine {
    const machine = new RunMachine(input, env, undefined);
    const log = machine.#log;
    log.emit({
      type: 'started',
      workflow: input.plan.workflow,
      version: input.plan.version,
      mode: input.mode,
      startAgent: input.plan.startAgent,
    });
    log.emit({ type: 'executor_invoked', executorId: INPUT_EXECUTOR_ID });
    for (const text of input.messages) {
      machine.#addUserMessage({ role: 'user', text });
      log.emit({ type: 'user_message', text });
    }
    log.emit({ type: 'executor_completed', executorId: INPUT_EXECUTOR_ID });
    return machine;
  }

  /** The next generation of a run that continued as new. */
  static resume(input: OrchestrationInput & { carried: CarriedState }, env: RunEnvironment): RunMachine {
    return new RunMachine(input, env, input.carried);
  }

  /** True for a generation that continues an earlier one (it must first recover stored replies). */
  get isContinuation(): boolean {
    return this.#state.generation > 1;
  }

  get #phase(): Phase {
    if (this.#stop) return 'finished';
    return this.#request ? 'awaiting' : 'agent';
  }

  /** The run's custom status. */
  status(): RunStatus {
    const state = this.#state;
    const request = this.#phase === 'awaiting' ? this.#request : undefined;
    return {
      v: 1,
      workflow: this.#plan.workflow,
      state: this.#stop ? stateFor(this.#stop.reason) : request ? 'awaiting_input' : 'running',
      activeAgent: state.activeAgent,
      turn: state.turn,
      pendingRequest: request
        ? {
            requestId: request.requestId,
            agent: request.agent,
            prompt: request.prompt.slice(0, MAX_STATUS_PROMPT),
          }
        : null,
      lastSeq: this.#log.lastSeq,
      handoffs: state.handoffs,
      generation: state.generation,
      ...(this.#stop ? { stopReason: this.#stop.reason } : {}),
    };
  }

  /** Events and reply marks to persist now; with `loadReplies`, also asks for unhandled stored replies. */
  takeSync(loadReplies: boolean): SyncRunInput {
    return {
      runId: this.#input.runId,
      events: this.#log.take(),
      handledReplyIds: this.#takeUnmarkedReplyIds(),
      loadReplies,
    };
  }

  /** Replies recovered from the store at the start of a generation, oldest first. */
  queueReplies(replies: readonly StoredReply[]): void {
    this.#queuedReplies.push(...replies);
  }

  /** Decides the next step. */
  next(): Step {
    const state = this.#state;
    if (this.#stop) return this.#finishStep();
    if (this.#phase === 'awaiting' && this.#request) {
      return { kind: 'await_reply', request: this.#request, sync: this.takeSync(false) };
    }
    if (this.#retryAt) return { kind: 'wait_to_retry', until: this.#retryAt };
    if (state.turn >= this.#plan.maxTurns) {
      this.#finish('turn_limit');
      return this.#finishStep();
    }
    if (this.#generationTurns >= this.#plan.continueAsNewEvery) return this.#continueAsNewStep();
    this.#log.emit({ type: 'executor_invoked', executorId: state.activeAgent });
    const append = this.#takeUnsaved();
    const events = this.#log.take();
    this.#inFlight = { events, append };
    return {
      kind: 'agent_turn',
      input: {
        runId: this.#input.runId,
        workflow: this.#plan.workflow,
        version: this.#plan.version,
        agent: state.activeAgent,
        turn: state.turn + 1,
        knownMessages: state.messageCount - append.length,
        append,
        events,
        handledReplyIds: this.#takeUnmarkedReplyIds(),
        checkTerminationFirst: state.checkTerminationFirst,
        toolCallFiltering: this.#plan.toolCallFiltering,
      },
    };
  }

  /** Applies the outcome of the agent turn that {@link next} asked for. */
  applyTurn(output: AgentTurnOutput): void {
    const state = this.#state;
    this.#inFlight = undefined; // the activity returned: it stored what it was handed
    const agent = state.activeAgent;
    if (!output.ok && output.retryAfterMs !== undefined && this.#canWaitFor(output.retryAfterMs)) {
      this.#rateLimitWaits += 1;
      this.#retryAt = new Date(Date.parse(this.#env.now()) + output.retryAfterMs).toISOString();
      this.#log.emit({
        type: 'warning',
        code: 'rate_limited',
        message:
          `${output.error.message} The run waits ${Math.ceil(output.retryAfterMs / 1000)} s as asked, then tries ` +
          `again (wait ${this.#rateLimitWaits} of ${MAX_RATE_LIMIT_WAITS}).`,
      });
      this.#log.emit({ type: 'executor_completed', executorId: agent });
      return;
    }
    if (!output.ok) {
      this.#log.emit({ type: 'error', code: output.error.code, message: output.error.message });
      this.#log.emit({ type: 'executor_completed', executorId: agent });
      this.#finish('error', { code: output.error.code, message: output.error.message });
      return;
    }
    if (output.redeployed && output.redeployed.version !== this.#plan.version) {
      this.#log.emit({
        type: 'warning',
        code: 'definition_changed',
        message:
          `Workflow '${this.#plan.workflow}' was redeployed with a different definition ` +
          `(version ${this.#plan.version.slice(0, 12)} -> ${output.redeployed.version.slice(0, 12)}); ` +
          `this run continues on the new definition from turn ${state.turn + 1}.`,
      });
      this.#plan = output.redeployed.plan;
    }
    this.#rateLimitWaits = 0;
    const result = output.turn;
    if (result.kind === 'terminated_before_turn') {
      this.#log.emit({ type: 'executor_completed', executorId: agent });
      this.#finish('terminated_by_condition');
      return;
    }
    state.turn += 1;
    this.#generationTurns += 1;
    state.messageCount += result.messageCount; // the activity stored the turn's messages
    state.usage[agent] = addUsage(state.usage[agent] ?? ZERO_USAGE, result.usage);
    for (const warning of result.warnings) this.#log.emit({ type: 'warning', ...warning });
    const texts = result.texts.filter((text) => text.trim() !== '');
    for (const text of texts) this.#log.emit({ type: 'agent_response', agent, text });
    this.#log.emit({ type: 'executor_completed', executorId: agent });
    this.#log.emit({ type: 'executor_invoked', executorId: HANDOFF_COORDINATOR_ID });
    const decision = result.decision;
    if (decision.kind === 'handoff') {
      this.#log.emit({
        type: 'handoff_sent',
        source: agent,
        target: decision.target,
        ...(decision.reason ? { reason: decision.reason } : {}),
      });
      this.#log.emit({ type: 'executor_completed', executorId: HANDOFF_COORDINATOR_ID });
      state.handoffs += 1;
      state.activeAgent = decision.target;
      state.autonomousTurns = {};
      state.checkTerminationFirst = false;
      return;
    }
    this.#log.emit({ type: 'executor_completed', executorId: HANDOFF_COORDINATOR_ID });
    if (result.terminate) {
      this.#finish('terminated_by_condition');
      return;
    }
    const autonomous = this.#plan.autonomous[agent];
    const used = state.autonomousTurns[agent] ?? 0;
    if (this.#input.mode === 'autonomous' && autonomous?.enabled && used < autonomous.turnLimit) {
      state.autonomousTurns[agent] = used + 1;
      this.#addUserMessage({ role: 'user', text: autonomous.prompt, synthetic: true });
      this.#log.emit({ type: 'user_message', text: autonomous.prompt, synthetic: true });
      state.checkTerminationFirst = true;
      return;
    }
    this.#openRequest(agent, texts.at(-1) ?? '');
  }

  #openRequest(agent: string, prompt: string): void {
    const requestId = this.#env.newId();
    this.#request = {
      requestId,
      agent,
      prompt,
      deadline: new Date(Date.parse(this.#env.now()) + this.#input.replyTimeoutMs).toISOString(),
    };
    this.#log.emit({ type: 'request_info', requestId, agent, prompt });
  }

  /** The wait before a rate-limited turn is over: the turn is tried again on the next step. */
  retryNow(): void {
    this.#retryAt = undefined;
  }

  #canWaitFor(ms: number): boolean {
    return this.#rateLimitWaits < MAX_RATE_LIMIT_WAITS && ms <= MAX_RATE_LIMIT_WAIT_MS;
  }

  /** The next recovered reply not handled yet, if any. */
  takeQueuedReply(): StoredReply | undefined {
    while (this.#queuedReplies.length > 0) {
      const reply = this.#queuedReplies.shift();
      if (reply && !this.#state.recentReplyIds.includes(reply.replyId)) return reply;
    }
    return undefined;
  }

  /**
   * Applies a reply while a request is open. A duplicate (same reply id) is dropped silently; a reply
   * naming another request is ignored with a `warning`; otherwise the reply goes to the agent that asked.
   * Returns whether the wait is over.
   */
  applyReply(reply: UserReply | StoredReply): 'accepted' | 'ignored' {
    const state = this.#state;
    if (state.recentReplyIds.includes(reply.replyId)) return 'ignored';
    state.recentReplyIds.push(reply.replyId);
    if (state.recentReplyIds.length > RECENT_REPLY_IDS) state.recentReplyIds.shift();
    state.unmarkedReplyIds.push(reply.replyId);
    const request = this.#request;
    if (this.#phase !== 'awaiting' || !request) return 'ignored';
    if (reply.requestId !== undefined && reply.requestId !== request.requestId) {
      this.#log.emit({
        type: 'warning',
        code: 'stale_reply',
        message: `Ignored a reply to request '${reply.requestId}': the open request is '${request.requestId}'.`,
      });
      return 'ignored';
    }
    this.#addUserMessage({ role: 'user', text: reply.message });
    this.#log.emit({ type: 'user_message', text: reply.message, requestId: request.requestId });
    this.#request = undefined;
    state.activeAgent = request.agent;
    state.autonomousTurns = {};
    state.checkTerminationFirst = true;
    return 'accepted';
  }

  /** A `user_reply` event that does not fit its schema (raised around the API): recorded, then ignored. */
  ignoreMalformedReply(problem: string): void {
    this.#log.emit({ type: 'warning', code: 'invalid_reply', message: problem });
  }

  /** A wait for a reply timed out. */
  applyReplyTimeout(): void {
    this.#finish('reply_timeout');
  }

  /** The run was cancelled (the `cancel_run` event). */
  applyCancel(reason: string | undefined): void {
    if (this.#stop) return;
    this.#handOverInFlightAgain();
    this.#log.emit({
      type: 'warning',
      code: 'cancelled',
      message: reason ? `The run was cancelled: ${reason}` : 'The run was cancelled.',
    });
    this.#finish('cancelled');
  }

  /** The agent-turn activity failed on every attempt (retryable errors only reach here). */
  applyTurnFailure(code: string, message: string): void {
    this.#handOverInFlightAgain();
    this.#log.emit({ type: 'error', code, message });
    this.#log.emit({ type: 'executor_completed', executorId: this.#state.activeAgent });
    this.#finish('error', { code, message });
  }

  #finish(reason: StopReason, error?: { code: string; message: string }): void {
    if (this.#stop) return;
    this.#stop = error ? { reason, error } : { reason };
    this.#request = undefined;
    this.#log.emit({ type: 'status', state: stateFor(reason), stopReason: reason });
    // The `output` event carries the conversation, which lives in the run store: the finish activity
    // writes it, under the seq reserved here.
    this.#outputEvent = { seq: this.#log.reserve(), timestamp: this.#env.now(), stopReason: reason };
  }

  #finishStep(): Step {
    const output = this.#outputEvent;
    if (!output) throw new Error('finish step requested before the run stopped');
    const append = this.#takeUnsaved();
    return {
      kind: 'finish',
      finish: {
        runId: this.#input.runId,
        knownMessages: this.#state.messageCount - append.length,
        append,
        events: this.#log.take(),
        handledReplyIds: this.#takeUnmarkedReplyIds(),
        output,
      },
    };
  }

  /** The orchestration output of the finished run, with the transcript the finish activity read back. */
  output(transcript: TranscriptMessage[]): RunOutput {
    const stop = this.#stop;
    if (!stop) throw new Error('output requested before the run stopped');
    return {
      runId: this.#input.runId,
      workflow: this.#plan.workflow,
      state: stateFor(stop.reason),
      stopReason: stop.reason,
      conversation: toConversation(transcript),
      transcript,
      turns: this.#state.turn,
      usage: this.#state.usage,
      ...(stop.error ? { error: stop.error } : {}),
    };
  }

  #handOverInFlightAgain(): void {
    const inFlight = this.#inFlight;
    this.#inFlight = undefined;
    if (!inFlight) return;
    this.#log.requeue(inFlight.events);
    this.#state.unsaved = [...inFlight.append, ...this.#state.unsaved];
  }

  #addUserMessage(message: TranscriptMessage): void {
    this.#state.unsaved.push(message);
    this.#state.messageCount += 1;
  }

  #takeUnsaved(): TranscriptMessage[] {
    const unsaved = this.#state.unsaved;
    this.#state.unsaved = [];
    return unsaved;
  }

  #takeUnmarkedReplyIds(): string[] {
    const ids = this.#state.unmarkedReplyIds;
    this.#state.unmarkedReplyIds = [];
    return ids;
  }

  #continueAsNewStep(): Step {
    const state = this.#state;
    const carried: CarriedState = {
      schemaVersion: 2,
      generation: state.generation + 1,
      messageCount: state.messageCount,
      unsaved: state.unsaved,
      activeAgent: state.activeAgent,
      turn: state.turn,
      autonomousTurns: state.autonomousTurns,
      checkTerminationFirst: state.checkTerminationFirst,
      nextSeq: this.#log.nextSeq,
      pendingEvents: this.#log.peekPending(),
      recentReplyIds: state.recentReplyIds,
      unmarkedReplyIds: state.unmarkedReplyIds,
      usage: state.usage,
      handoffs: state.handoffs,
    };
    return { kind: 'continue_as_new', input: { ...this.#input, plan: this.#plan, carried } };
  }
}
