/**
 * The handoff run as a pure state machine. The orchestrator generator feeds it the results of
 * durable tasks and asks it what to do next; everything it decides depends only on its input and
 * those results, so it replays identically. No I/O, no clock (the orchestrator passes its
 * replay-safe `now`), no randomness (request ids come from `context.df.newGuid`).
 */
import {
  HANDOFF_COORDINATOR_ID,
  INPUT_EXECUTOR_ID,
  type RunState,
  type StopReason,
  type WorkflowEvent,
} from '../../core/events';
import { toConversation, type TranscriptMessage } from '../../core/messages';
import { addUsage, ZERO_USAGE, type TokenUsage } from '../../core/model';
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

type Phase = 'agent' | 'awaiting' | 'finished';

/** See the module comment. One instance per orchestrator generation. */
export class RunMachine {
  readonly #input: OrchestrationInput;
  #plan: RunPlan;
  readonly #log: EventLog;
  #phase: Phase = 'agent';
  /** How many messages the transcript has; the run store holds all but `#unsaved`. */
  #messageCount: number;
  /** User input since the last agent turn, not yet in the run store. */
  #unsaved: TranscriptMessage[];
  #activeAgent: string;
  #turn: number;
  #generationTurns = 0;
  readonly #generation: number;
  #autonomousTurns: Record<string, number>;
  #checkTerminationFirst: boolean;
  #recentReplyIds: string[];
  #unmarkedReplyIds: string[];
  #usage: Record<string, TokenUsage>;
  #handoffs: number;
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

  private constructor(input: OrchestrationInput, carried: CarriedState | undefined) {
    this.#input = input;
    this.#plan = input.plan;
    this.#log = new EventLog(carried?.nextSeq ?? 1, carried?.pendingEvents ?? []);
    this.#messageCount = carried?.messageCount ?? 0;
    this.#unsaved = [...(carried?.unsaved ?? [])];
    this.#activeAgent = carried?.activeAgent ?? input.plan.startAgent;
    this.#turn = carried?.turn ?? 0;
    this.#generation = carried?.generation ?? 1;
    this.#autonomousTurns = { ...(carried?.autonomousTurns ?? {}) };
    this.#checkTerminationFirst = carried?.checkTerminationFirst ?? true;
    this.#recentReplyIds = [...(carried?.recentReplyIds ?? [])];
    this.#unmarkedReplyIds = [...(carried?.unmarkedReplyIds ?? [])];
    this.#usage = { ...(carried?.usage ?? {}) };
    this.#handoffs = carried?.handoffs ?? 0;
  }

  /** A new run: records `started` and the input step, with the initial messages. */
  static start(input: OrchestrationInput, now: string): RunMachine {
    const machine = new RunMachine(input, undefined);
    machine.#at(now);
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
  static resume(input: OrchestrationInput & { carried: CarriedState }): RunMachine {
    return new RunMachine(input, input.carried);
  }

  /** True for a generation that continues an earlier one (it must first recover stored replies). */
  get isContinuation(): boolean {
    return this.#generation > 1;
  }

  /** The run's custom status. */
  status(): RunStatus {
    const state: RunState = this.#stop
      ? stateFor(this.#stop.reason)
      : this.#phase === 'awaiting'
        ? 'awaiting_input'
        : 'running';
    return {
      v: 1,
      workflow: this.#plan.workflow,
      state,
      activeAgent: this.#activeAgent,
      turn: this.#turn,
      pendingRequest:
        this.#phase === 'awaiting' && this.#request
          ? {
              requestId: this.#request.requestId,
              agent: this.#request.agent,
              prompt: this.#request.prompt.slice(0, MAX_STATUS_PROMPT),
            }
          : null,
      lastSeq: this.#log.lastSeq,
      handoffs: this.#handoffs,
      generation: this.#generation,
      ...(this.#stop ? { stopReason: this.#stop.reason } : {}),
    };
  }

  /** Events and reply marks to persist now; with `loadReplies`, also asks for unhandled stored replies. */
  takeSync(loadReplies: boolean): SyncRunInput {
    const handledReplyIds = this.#unmarkedReplyIds;
    this.#unmarkedReplyIds = [];
    return { runId: this.#input.runId, events: this.#log.take(), handledReplyIds, loadReplies };
  }

  /** Replies recovered from the store at the start of a generation, oldest first. */
  queueReplies(replies: readonly StoredReply[]): void {
    this.#queuedReplies.push(...replies);
  }

  /** Decides the next step. */
  next(now: string): Step {
    this.#at(now);
    if (this.#stop) return this.#finishStep();
    if (this.#phase === 'awaiting' && this.#request) {
      return { kind: 'await_reply', request: this.#request, sync: this.takeSync(false) };
    }
    if (this.#retryAt) return { kind: 'wait_to_retry', until: this.#retryAt };
    if (this.#turn >= this.#plan.maxTurns) {
      this.#finish('turn_limit');
      return this.#finishStep();
    }
    if (this.#generationTurns >= this.#plan.continueAsNewEvery) return this.#continueAsNewStep();
    this.#log.emit({ type: 'executor_invoked', executorId: this.#activeAgent });
    const append = this.#takeUnsaved();
    const events = this.#log.take();
    this.#inFlight = { events, append };
    const handledReplyIds = this.#unmarkedReplyIds;
    this.#unmarkedReplyIds = [];
    return {
      kind: 'agent_turn',
      input: {
        runId: this.#input.runId,
        workflow: this.#plan.workflow,
        version: this.#plan.version,
        agent: this.#activeAgent,
        turn: this.#turn + 1,
        knownMessages: this.#messageCount - append.length,
        append,
        events,
        handledReplyIds,
        checkTerminationFirst: this.#checkTerminationFirst,
      },
    };
  }

  /**
   * Applies the outcome of the agent turn that {@link next} asked for. `newId` supplies the id of a
   * request for human input, if the turn opens one (`context.df.newGuid`, replay-safe).
   */
  applyTurn(output: AgentTurnOutput, now: string, newId: () => string): void {
    this.#at(now);
    this.#inFlight = undefined; // the activity returned: it stored what it was handed
    const agent = this.#activeAgent;
    if (!output.ok && output.retryAfterMs !== undefined && this.#canWaitFor(output.retryAfterMs)) {
      this.#rateLimitWaits += 1;
      this.#retryAt = new Date(Date.parse(now) + output.retryAfterMs).toISOString();
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
          `this run continues on the new definition from turn ${this.#turn + 1}.`,
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
    this.#turn += 1;
    this.#generationTurns += 1;
    this.#messageCount += result.messageCount; // the activity stored the turn's messages
    this.#usage[agent] = addUsage(this.#usage[agent] ?? ZERO_USAGE, result.usage);
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
      this.#handoffs += 1;
      this.#activeAgent = decision.target;
      this.#autonomousTurns = {};
      this.#checkTerminationFirst = false;
      return;
    }
    this.#log.emit({ type: 'executor_completed', executorId: HANDOFF_COORDINATOR_ID });
    if (result.terminate) {
      this.#finish('terminated_by_condition');
      return;
    }
    const autonomous = this.#plan.autonomous[agent];
    const used = this.#autonomousTurns[agent] ?? 0;
    if (this.#input.mode === 'autonomous' && autonomous?.enabled && used < autonomous.turnLimit) {
      this.#autonomousTurns[agent] = used + 1;
      this.#addUserMessage({ role: 'user', text: autonomous.prompt, synthetic: true });
      this.#log.emit({ type: 'user_message', text: autonomous.prompt, synthetic: true });
      this.#checkTerminationFirst = true;
      return;
    }
    this.#openRequest(agent, texts.at(-1) ?? '', now, newId());
  }

  #openRequest(agent: string, prompt: string, now: string, requestId: string): void {
    const timeoutMs = this.#input.replyTimeoutMs;
    this.#request = {
      requestId,
      agent,
      prompt,
      deadline: new Date(Date.parse(now) + timeoutMs).toISOString(),
    };
    this.#phase = 'awaiting';
    this.#log.emit({ type: 'request_info', requestId, agent, prompt });
  }

  /** The wait before a rate-limited turn is over: the turn is tried again on the next step. */
  retryNow(now: string): void {
    this.#at(now);
    this.#retryAt = undefined;
  }

  #canWaitFor(ms: number): boolean {
    return this.#rateLimitWaits < MAX_RATE_LIMIT_WAITS && ms <= MAX_RATE_LIMIT_WAIT_MS;
  }

  /** The next recovered reply not handled yet, if any. */
  takeQueuedReply(): StoredReply | undefined {
    while (this.#queuedReplies.length > 0) {
      const reply = this.#queuedReplies.shift();
      if (reply && !this.#recentReplyIds.includes(reply.replyId)) return reply;
    }
    return undefined;
  }

  /**
   * Applies a reply while a request is open. A duplicate (same reply id) is dropped silently; a reply
   * naming another request is ignored with a `warning`; otherwise the reply goes to the agent that asked.
   * Returns whether the wait is over.
   */
  applyReply(reply: UserReply | StoredReply, now: string): 'accepted' | 'ignored' {
    this.#at(now);
    if (this.#recentReplyIds.includes(reply.replyId)) return 'ignored';
    this.#recentReplyIds.push(reply.replyId);
    if (this.#recentReplyIds.length > RECENT_REPLY_IDS) this.#recentReplyIds.shift();
    this.#unmarkedReplyIds.push(reply.replyId);
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
    this.#phase = 'agent';
    this.#request = undefined;
    this.#activeAgent = request.agent;
    this.#autonomousTurns = {};
    this.#checkTerminationFirst = true;
    return 'accepted';
  }

  /** A `user_reply` event that does not fit its schema (raised around the API): recorded, then ignored. */
  ignoreMalformedReply(now: string, problem: string): void {
    this.#at(now);
    this.#log.emit({ type: 'warning', code: 'invalid_reply', message: problem });
  }

  /** A wait for a reply timed out. */
  applyReplyTimeout(now: string): void {
    this.#at(now);
    this.#finish('reply_timeout');
  }

  /** The run was cancelled (the `cancel_run` event). */
  applyCancel(now: string, reason: string | undefined): void {
    this.#at(now);
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
  applyTurnFailure(now: string, code: string, message: string): void {
    this.#at(now);
    this.#handOverInFlightAgain();
    this.#log.emit({ type: 'error', code, message });
    this.#log.emit({ type: 'executor_completed', executorId: this.#activeAgent });
    this.#finish('error', { code, message });
  }

  #finish(reason: StopReason, error?: { code: string; message: string }): void {
    if (this.#stop) return;
    this.#stop = error ? { reason, error } : { reason };
    this.#phase = 'finished';
    this.#request = undefined;
    this.#log.emit({ type: 'status', state: stateFor(reason), stopReason: reason });
    // The `output` event carries the conversation, which lives in the run store: the finish activity
    // writes it, under the seq reserved here.
    this.#outputEvent = { seq: this.#log.reserve(), timestamp: this.#log.now, stopReason: reason };
  }

  #finishStep(): Step {
    const output = this.#outputEvent;
    if (!output) throw new Error('finish step requested before the run stopped');
    const append = this.#takeUnsaved();
    const handledReplyIds = this.#unmarkedReplyIds;
    this.#unmarkedReplyIds = [];
    return {
      kind: 'finish',
      finish: {
        runId: this.#input.runId,
        knownMessages: this.#messageCount - append.length,
        append,
        events: this.#log.take(),
        handledReplyIds,
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
      turns: this.#turn,
      usage: this.#usage,
      ...(stop.error ? { error: stop.error } : {}),
    };
  }

  #handOverInFlightAgain(): void {
    const inFlight = this.#inFlight;
    this.#inFlight = undefined;
    if (!inFlight) return;
    this.#log.requeue(inFlight.events);
    this.#unsaved = [...inFlight.append, ...this.#unsaved];
  }

  #addUserMessage(message: TranscriptMessage): void {
    this.#unsaved.push(message);
    this.#messageCount += 1;
  }

  #takeUnsaved(): TranscriptMessage[] {
    const unsaved = this.#unsaved;
    this.#unsaved = [];
    return unsaved;
  }

  #continueAsNewStep(): Step {
    const carried: CarriedState = {
      schemaVersion: 2,
      generation: this.#generation + 1,
      messageCount: this.#messageCount,
      unsaved: this.#unsaved,
      activeAgent: this.#activeAgent,
      turn: this.#turn,
      autonomousTurns: this.#autonomousTurns,
      checkTerminationFirst: this.#checkTerminationFirst,
      nextSeq: this.#log.nextSeq,
      pendingEvents: this.#log.peekPending(),
      recentReplyIds: this.#recentReplyIds,
      unmarkedReplyIds: this.#unmarkedReplyIds,
      usage: this.#usage,
      handoffs: this.#handoffs,
    };
    return { kind: 'continue_as_new', input: { ...this.#input, plan: this.#plan, carried } };
  }

  #at(now: string): void {
    this.#log.at(now);
  }
}
