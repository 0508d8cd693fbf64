/**
 * The handoff run as a pure state machine. The orchestrator generator feeds it the results of
 * durable tasks and asks it what to do next; everything it decides depends only on its input and
 * those results, so it replays identically. No I/O, no clock and no randomness of its own: the
 * orchestrator hands it, once, its replay-safe clock and id source (see {@link RunEnvironment}).
 *
 * It numbers the run's events. An agent turn writes its own events under the seqs from the one the
 * machine hands it (`firstSeq`); the machine continues after them once the turn reports how many it
 * wrote. The results of builds before #12 (turn summaries with the answer texts, syncs that stored
 * events only, carried state with the user messages apart) are still applied as they were, so runs
 * those builds started replay and finish.
 */
import { INPUT_EXECUTOR_ID, type StopReason, type WorkflowEvent } from '../../core/events';
import type { TranscriptMessage } from '../../core/messages';
import { addUsage, ZERO_USAGE } from '../../core/model';
import type { RunPlan } from '../../core/run-plan';
import type { ApprovalDecision, PendingApproval } from '../../core/turn-result';
import type { StoredReply } from '../store/run-store';
import type { AgentTurnOutput } from '../wire/agent-turn-activity';
import type { FinishRunOutput } from '../wire/finish-run-activity';
import type { CarriedState, OrchestrationInput } from '../wire/orchestration-input';
import type { RunOutput } from '../wire/run-output';
import type { RunTrace } from '../wire/run-trace';
import { MAX_STATUS_PROMPT, statusTool, type RunStatus } from '../wire/run-status';
import { CLOSED_BY_TURN } from '../wire/run-closing';
import type { SyncRunInput, SyncRunOutput } from '../wire/sync-run-activity';
import { answerTexts, completedTurnEvents, definitionChangedWarning } from '../wire/turn-events';
import { TURN_ATTEMPTS, turnRetriesAfter, turnRetryDelayMs } from '../wire/turn-retry';
import { userMessagesOf } from '../wire/user-messages';
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

/** What one activity is handed to store: events, and where the user messages among them go. */
interface HandOver {
  events: WorkflowEvent[];
  /** User messages to store before those of `events` (see `CarriedState.unstored`); usually none. */
  append: TranscriptMessage[];
  /** How many messages the store holds before them. */
  knownMessages: number;
}

/**
 * The carried state as the machine keeps it: its own copy of every array and record it changes in
 * place (`usage` and `autonomousTurns` by key, the reply ids by `push`), since the input it comes
 * from is shared by every episode of the execution (see `OrchestrationInputReader`). Everything
 * else it only reads or replaces whole (the messages of `unstored`, each agent's usage), so those
 * stay shared. The keys are in the order a continue-as-new carries them. A copy by hand, not
 * `structuredClone`, which cost about a tenth of the orchestrator's own time per episode (#16).
 */
function ownState(input: OrchestrationInput, carried: CarriedState | undefined): CarriedRunState {
  return {
    generation: carried?.generation ?? 1,
    messageCount: carried?.messageCount ?? 0,
    ...(carried?.unstored ? { unstored: [...carried.unstored] } : {}),
    activeAgent: carried?.activeAgent ?? input.plan.startAgent,
    turn: carried?.turn ?? 0,
    autonomousTurns: { ...carried?.autonomousTurns },
    checkTerminationFirst: carried?.checkTerminationFirst ?? true,
    recentReplyIds: [...(carried?.recentReplyIds ?? [])],
    unmarkedReplyIds: [...(carried?.unmarkedReplyIds ?? [])],
    usage: { ...carried?.usage },
    handoffs: carried?.handoffs ?? 0,
  };
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
  /** The turn being tried again after a model failure: the attempt that comes next, and its journal's seq. */
  #retrying: { attempt: number; recordsAt: number } | undefined;
  /** The agent turn in flight: what it was handed, and the seq its own events start at. */
  #inFlight: (HandOver & { firstSeq: number }) | undefined;
  /**
   * The calls of a turn that stopped for approvals: asked one at a time, in order; once each has an
   * answer, the turn resumes with them. Never carried over a continue-as-new: none happens while a
   * turn waits for approvals.
   */
  #approvals:
    | { agent: string; pending: PendingApproval[]; decisions: ApprovalDecision[]; turnStartsAt: number }
    | undefined;
  /** The user messages the sync in flight was handed (see {@link applySync}). */
  #syncMessages: TranscriptMessage[] = [];
  /**
   * The turn that was in flight when the run stopped. It may still write, or may have written, its
   * events; the finish activity closes its slot and, if it wrote, puts the closing events after
   * them, without `unlessCommitted`.
   */
  #abandoned: { firstSeq: number; unlessCommitted: number[] } | undefined;
  /** The turn that ended the run stored its closing events: no finish activity is needed. */
  #closedByTurn = false;

  private constructor(input: OrchestrationInput, env: RunEnvironment, carried: CarriedState | undefined) {
    this.#input = input;
    this.#env = env;
    this.#plan = input.plan;
    this.#log = new EventLog(carried?.nextSeq ?? 1, carried?.pendingEvents ?? [], env.now);
    this.#state = ownState(input, carried);
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
    for (const text of input.messages) machine.#userMessage({ type: 'user_message', text });
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
            ...(request.approval
              ? { kind: 'tool_approval' as const, tool: statusTool(request.approval.tool) }
              : {}),
          }
        : null,
      lastSeq: this.#log.lastSeq,
      handoffs: state.handoffs,
      generation: state.generation,
      ...(this.#stop ? { stopReason: this.#stop.reason } : {}),
      ...this.#instance(),
      ...this.#trace(),
    };
  }

  /** The run instance's nonce, for activity inputs and the status (absent for runs started before #18). */
  #instance(): { nonce?: string } {
    return this.#input.nonce === undefined ? {} : { nonce: this.#input.nonce };
  }

  /** The run's trace, for the activities that write spans (absent when telemetry was off at start). */
  #trace(): { trace?: RunTrace } {
    return this.#input.trace === undefined ? {} : { trace: this.#input.trace };
  }

  /**
   * The trace and, with it, the workflow's name: for the activities whose input does not name the
   * workflow (a sync, the finish), so their metrics carry it as the turns' do.
   */
  #traceAndWorkflow(): { trace?: RunTrace; workflow?: string } {
    return this.#input.trace === undefined ? {} : { trace: this.#input.trace, workflow: this.#plan.workflow };
  }

  /** Events, their user messages and reply marks to persist now; with `loadReplies`, also asks for unhandled stored replies. */
  takeSync(loadReplies: boolean): SyncRunInput {
    const { events, append, knownMessages } = this.#handOver();
    this.#syncMessages = [...append, ...userMessagesOf(events)];
    return {
      runId: this.#input.runId,
      ...this.#instance(),
      ...this.#traceAndWorkflow(),
      events,
      handledReplyIds: this.#takeUnmarkedReplyIds(),
      loadReplies,
      knownMessages,
      ...(append.length > 0 ? { append } : {}),
    };
  }

  /**
   * Applies what a sync returned: the stored replies it recovered (at the start of a generation),
   * oldest first. A sync of a build before #12 stored events only: the user messages it was handed
   * then go to the next activity.
   */
  applySync(output: SyncRunOutput): void {
    this.#queuedReplies.push(...output.replies);
    if (!output.storedMessages && this.#syncMessages.length > 0) {
      this.#state.unstored = [...this.#syncMessages, ...(this.#state.unstored ?? [])];
    }
    this.#syncMessages = [];
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
    const approvals = this.#approvals;
    if (!approvals && this.#generationTurns >= this.#plan.continueAsNewEvery)
      return this.#continueAsNewStep();
    const agent = state.activeAgent;
    this.#log.emit({ type: 'executor_invoked', executorId: agent });
    const handOver = this.#handOver();
    const firstSeq = this.#log.nextSeq;
    this.#inFlight = { ...handOver, firstSeq };
    return {
      kind: 'agent_turn',
      input: {
        schemaVersion: 2,
        runId: this.#input.runId,
        ...this.#instance(),
        ...this.#trace(),
        workflow: this.#plan.workflow,
        version: this.#plan.version,
        agent,
        turn: state.turn + 1,
        knownMessages: handOver.knownMessages,
        ...(handOver.append.length > 0 ? { append: handOver.append } : {}),
        events: handOver.events,
        handledReplyIds: this.#takeUnmarkedReplyIds(),
        checkTerminationFirst: state.checkTerminationFirst,
        toolCallFiltering: this.#plan.toolCallFiltering,
        firstSeq,
        wantsPrompt: !this.#continuesAutonomously(agent),
        ...(approvals
          ? { resume: { approvals: approvals.decisions, turnStartsAt: approvals.turnStartsAt } }
          : {}),
        ...(this.#retrying ? { retry: this.#retrying } : {}),
      },
    };
  }

  /** Applies the outcome of the agent turn that {@link next} asked for. */
  applyTurn(output: AgentTurnOutput): void {
    const state = this.#state;
    const inFlight = this.#inFlight;
    this.#inFlight = undefined; // the activity returned: it stored what it was handed
    const agent = state.activeAgent;
    const firstSeq = inFlight?.firstSeq;
    const retrying = this.#retrying;
    this.#retrying = undefined;
    if (!output.ok && output.retry) {
      const attempt = retrying?.attempt ?? 1;
      const waitMs = turnRetryDelayMs(attempt, output.retryAfterMs);
      if (turnRetriesAfter(attempt, waitMs)) {
        this.#retrying = { attempt: attempt + 1, recordsAt: retrying?.recordsAt ?? firstSeq ?? 1 };
        this.#retryAt = new Date(Date.parse(this.#env.now()) + waitMs).toISOString();
        this.#log.emit({
          type: 'warning',
          code: 'model_retry',
          message:
            `The model is not answering (${output.error.code}: ${output.error.message}); the turn is tried ` +
            `again in ${Math.ceil(waitMs / 1000)} s (attempt ${attempt + 1} of ${TURN_ATTEMPTS}).`,
          retry: { attempt: attempt + 1, of: TURN_ATTEMPTS, inMs: waitMs },
        });
        this.#log.emit({ type: 'executor_completed', executorId: agent });
        return;
      }
      const message =
        attempt >= TURN_ATTEMPTS
          ? `The agent turn failed on every attempt (${attempt}). Last error: ${output.error.message}`
          : `${output.error.message} The model asked for a wait of ${Math.ceil(waitMs / 1000)} s, longer than a run waits.`;
      this.#approvals = undefined;
      this.#log.emit({ type: 'error', code: output.error.code, message });
      this.#log.emit({ type: 'executor_completed', executorId: agent });
      this.#finish('error', { code: output.error.code, message });
      return;
    }
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
    // A turn tried again after a rate limit still resumes with the approvals; any other outcome used them.
    const resumed = this.#approvals;
    this.#approvals = undefined;
    if (!output.ok) {
      for (const warning of output.warnings ?? []) {
        this.#log.emit({ type: 'warning', code: warning.code, message: warning.message });
      }
      this.#log.emit({ type: 'error', code: output.error.code, message: output.error.message });
      this.#log.emit({ type: 'executor_completed', executorId: agent });
      this.#finish('error', { code: output.error.code, message: output.error.message });
      return;
    }
    const result = output.turn;
    const wroteEvents = result.kind === 'completed' && 'events' in result;
    if (output.redeployed && output.redeployed.version !== this.#plan.version) {
      // A turn that wrote its events wrote this warning first.
      if (!wroteEvents) {
        this.#log.emit(
          definitionChangedWarning({
            workflow: this.#plan.workflow,
            pinnedVersion: this.#plan.version,
            deployedVersion: output.redeployed.version,
            turn: state.turn + 1,
          }),
        );
      }
      this.#plan = output.redeployed.plan;
    }
    this.#rateLimitWaits = 0;
    if (result.kind === 'terminated_before_turn') {
      this.#log.emit({ type: 'executor_completed', executorId: agent });
      this.#finish('terminated_by_condition');
      return;
    }
    if (result.kind === 'awaiting_approval') {
      // The turn goes on once the human has answered: it is not counted yet.
      this.#log.skip(result.events);
      const turnStartsAt = resumed?.turnStartsAt ?? state.messageCount;
      state.messageCount += result.messageCount;
      state.usage[agent] = addUsage(state.usage[agent] ?? ZERO_USAGE, result.usage);
      this.#approvals = { agent, pending: [...result.pending], decisions: [], turnStartsAt };
      this.#askApproval();
      return;
    }
    state.turn += 1;
    this.#generationTurns += 1;
    state.messageCount += result.messageCount; // the activity stored the turn's messages
    state.usage[agent] = addUsage(state.usage[agent] ?? ZERO_USAGE, result.usage);
    let prompt: string;
    if ('events' in result) {
      this.#log.skip(result.events);
      prompt = result.prompt ?? '';
    } else {
      // A turn of a build before #12: its events are written from its summary, as that build did.
      for (const event of completedTurnEvents({ agent, ...result })) this.#log.emit(event);
      prompt = answerTexts(result.texts).at(-1) ?? '';
    }
    const decision = result.decision;
    if (decision.kind === 'handoff') {
      state.handoffs += 1;
      state.activeAgent = decision.target;
      state.autonomousTurns = {};
      state.checkTerminationFirst = false;
      return;
    }
    if (result.terminate) {
      if ('closedRun' in result && result.closedRun) this.#endedByTurn();
      else this.#finish('terminated_by_condition');
      return;
    }
    const autonomous = this.#plan.autonomous[agent];
    if (autonomous && this.#continuesAutonomously(agent)) {
      state.autonomousTurns[agent] = (state.autonomousTurns[agent] ?? 0) + 1;
      this.#userMessage({ type: 'user_message', text: autonomous.prompt, synthetic: true });
      state.checkTerminationFirst = true;
      return;
    }
    this.#openRequest(agent, prompt);
  }

  /** Opens the request for the next call of the paused turn that has no answer yet. */
  #askApproval(): void {
    const approvals = this.#approvals;
    const call = approvals?.pending[approvals.decisions.length];
    if (!approvals || !call) return;
    const requestId = this.#env.newId();
    const tool = { name: call.tool, arguments: call.arguments, callId: call.callId };
    const prompt = `${approvals.agent} asks to run ${call.tool}. Approve or reject this call.`;
    this.#request = {
      requestId,
      agent: approvals.agent,
      prompt,
      deadline: this.#deadline(),
      approval: { tool },
    };
    this.#log.emit({
      type: 'request_info',
      requestId,
      agent: approvals.agent,
      prompt,
      kind: 'tool_approval',
      tool,
    });
  }

  #deadline(): string {
    return new Date(Date.parse(this.#env.now()) + this.#input.replyTimeoutMs).toISOString();
  }

  /** True when an answer of `agent` is followed by its autonomous prompt rather than a question to the human. */
  #continuesAutonomously(agent: string): boolean {
    const autonomous = this.#plan.autonomous[agent];
    const used = this.#state.autonomousTurns[agent] ?? 0;
    return this.#input.mode === 'autonomous' && autonomous?.enabled === true && used < autonomous.turnLimit;
  }

  #openRequest(agent: string, prompt: string): void {
    const requestId = this.#env.newId();
    this.#request = { requestId, agent, prompt, deadline: this.#deadline() };
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
    if (request.approval) {
      if (!('approval' in reply)) {
        this.#log.emit({
          type: 'warning',
          code: 'approval_expected',
          message: `Ignored a message to request '${request.requestId}': it asks to approve or reject a call of ${request.approval.tool.name}.`,
        });
        return 'ignored';
      }
      return this.#applyApproval(request, request.approval.tool, reply.approval);
    }
    if (!('message' in reply)) {
      this.#log.emit({
        type: 'warning',
        code: 'reply_expected',
        message: `Ignored an approval sent to request '${request.requestId}': it asks for a reply, not an approval.`,
      });
      return 'ignored';
    }
    this.#userMessage({ type: 'user_message', text: reply.message, requestId: request.requestId });
    this.#request = undefined;
    state.activeAgent = request.agent;
    state.autonomousTurns = {};
    state.checkTerminationFirst = true;
    return 'accepted';
  }

  /** Records the human's answer to an approval request, then asks about the next call, if any. */
  #applyApproval(
    request: OpenRequest,
    tool: { name: string; callId: string },
    approval: { approved: boolean; reason?: string },
  ): 'accepted' {
    const approvals = this.#approvals;
    const reason = approval.reason?.trim() ? { reason: approval.reason.trim() } : {};
    this.#log.emit({
      type: 'tool_approval',
      requestId: request.requestId,
      agent: request.agent,
      tool: tool.name,
      callId: tool.callId,
      approved: approval.approved,
      ...reason,
    });
    this.#request = undefined;
    approvals?.decisions.push({ callId: tool.callId, approved: approval.approved, ...reason });
    this.#state.activeAgent = request.agent;
    this.#askApproval();
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
    this.#abandonInFlight();
    this.#log.emit({
      type: 'warning',
      code: 'cancelled',
      message: reason ? `The run was cancelled: ${reason}` : 'The run was cancelled.',
    });
    this.#finish('cancelled');
  }

  /** The agent-turn activity failed on every attempt (retryable errors only reach here). */
  applyTurnFailure(code: string, message: string): void {
    const abandoned = this.#abandonInFlight();
    this.#log.emit({ type: 'error', code, message });
    // A turn that committed after all wrote its agent's end itself.
    const completed = this.#log.emit({ type: 'executor_completed', executorId: this.#state.activeAgent });
    abandoned?.unlessCommitted.push(completed.seq);
    this.#finish('error', { code, message });
  }

  /** Applies what the finish activity found: an abandoned turn that committed counts. */
  applyFinish(output: FinishRunOutput): void {
    const committed = output.committedTurn;
    if (!committed) return;
    const state = this.#state;
    // A turn that stopped for approvals is not done: its usage counts, the turn does not.
    if (!committed.paused) state.turn += 1;
    state.usage[state.activeAgent] = addUsage(state.usage[state.activeAgent] ?? ZERO_USAGE, committed.usage);
    // The turn had ended the run (and stored its end) before the run stopped for another reason:
    // the run ended as its stored events say.
    if (committed.closedRun) this.#stop = { reason: CLOSED_BY_TURN };
  }

  /**
   * The turn just applied ended the run and stored the closing events (`status`, `output`) under the
   * two seqs after its own, stamped with its own clock: the run stops as {@link #finish} stops it,
   * without anything left to store.
   */
  #endedByTurn(): void {
    this.#stop = { reason: CLOSED_BY_TURN };
    this.#request = undefined;
    this.#log.skip(2);
    this.#closedByTurn = true;
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
    if (this.#closedByTurn) return { kind: 'finished' };
    if (!output) throw new Error('finish step requested before the run stopped');
    const { events, append, knownMessages } = this.#handOver();
    return {
      kind: 'finish',
      finish: {
        schemaVersion: 2,
        runId: this.#input.runId,
        ...this.#instance(),
        ...this.#traceAndWorkflow(),
        knownMessages,
        ...(append.length > 0 ? { append } : {}),
        events,
        handledReplyIds: this.#takeUnmarkedReplyIds(),
        output,
        ...(this.#abandoned ? { abandonedTurn: this.#abandoned } : {}),
      },
    };
  }

  /** The orchestration output of the finished run (its conversation is in the run store). */
  output(): RunOutput {
    const stop = this.#stop;
    if (!stop) throw new Error('output requested before the run stopped');
    return {
      runId: this.#input.runId,
      workflow: this.#plan.workflow,
      state: stateFor(stop.reason),
      stopReason: stop.reason,
      turns: this.#state.turn,
      usage: this.#state.usage,
      ...(stop.error ? { error: stop.error } : {}),
    };
  }

  /**
   * The turn in flight will not be applied: what it was handed goes to the finish activity again
   * (it may not have stored it; the writes are idempotent), and its slot is left to the finish.
   */
  #abandonInFlight(): { firstSeq: number; unlessCommitted: number[] } | undefined {
    const inFlight = this.#inFlight;
    this.#inFlight = undefined;
    if (!inFlight) return undefined;
    this.#log.requeue(inFlight.events);
    if (inFlight.append.length > 0)
      this.#state.unstored = [...inFlight.append, ...(this.#state.unstored ?? [])];
    this.#abandoned = { firstSeq: inFlight.firstSeq, unlessCommitted: [] };
    return this.#abandoned;
  }

  /** Records a user message: its event, which also carries it into the transcript when stored. */
  #userMessage(event: { type: 'user_message'; text: string; requestId?: string; synthetic?: boolean }): void {
    this.#log.emit(event);
    this.#state.messageCount += 1;
  }

  /** The pending events for the next activity, and where the user messages among them go. */
  #handOver(): HandOver {
    const events = this.#log.take();
    const append = this.#state.unstored ?? [];
    delete this.#state.unstored;
    const users = events.filter((event) => event.type === 'user_message').length;
    return { events, append, knownMessages: this.#state.messageCount - append.length - users };
  }

  #takeUnmarkedReplyIds(): string[] {
    const ids = this.#state.unmarkedReplyIds;
    this.#state.unmarkedReplyIds = [];
    return ids;
  }

  #continueAsNewStep(): Step {
    const state = this.#state;
    const carried: CarriedState = {
      schemaVersion: 3,
      generation: state.generation + 1,
      messageCount: state.messageCount,
      ...(state.unstored ? { unstored: state.unstored } : {}),
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
