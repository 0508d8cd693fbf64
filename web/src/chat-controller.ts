/**
 * The chat's behaviour: start a run, follow its events, answer its questions, stop it, and resume
 * the same run after a reload. Everything it says to the API goes through `HandoffClient`, which
 * streams with the run token in a header and reconnects after a drop.
 */
import {
  HandoffApiError,
  isFinished,
  type AgentResponseDelta,
  type HandoffClient,
  type InteractionMode,
  type RunState,
  type StopReason,
  type WorkflowDescription,
  type WorkflowEvent,
} from 'durable-handoff/client';
import { agentLabels, humanizeAgentName, type AgentLabel } from './agent-labels.js';
import { ChatView, type ViewActions } from './chat-view.js';
import { noteFor, outcomeOf, progressText, type Outcome } from './event-text.js';
import { forgetRun, loadSavedRun, saveRun, type SavedRun } from './run-session.js';
import { hideTimeline, showTimeline } from './timeline-view.js';

/** What the controller works with. */
export interface ChatDependencies {
  client: HandoffClient;
  /** sessionStorage: the followed run survives a reload of this tab only. */
  storage: Storage;
}

type Run = SavedRun['run'];

/**
 * A chat waits for a human as long as it takes: keep reconnecting (backing off to 8 s) for hours
 * rather than give up after a few failures.
 */
const RECONNECT = { maxAttempts: 1000, initialDelayMs: 500, maxDelayMs: 8000 };

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Errors after which the run cannot be followed any more (gone, or the token is refused). */
function isLost(error: unknown): boolean {
  return HandoffApiError.isInstance(error) && [401, 403, 404].includes(error.status);
}

/** Drives the page. One per page. */
export class ChatController implements ViewActions {
  readonly #client: HandoffClient;
  readonly #storage: Storage;
  readonly #view: ChatView;
  #run: Run | undefined;
  #following: AbortController | undefined;
  #pendingRequestId: string | undefined;
  #lastStatus: { state: RunState; stopReason: StopReason | undefined } | undefined;
  #lastError: { code: string; message: string } | undefined;
  #replayUntil = 0;
  /** Whether the progress line shows a retry notice (see {@link #progressAfter}). */
  #retrying = false;
  /** The workflows the API lists (for their agents' display names). */
  #workflows: WorkflowDescription[] = [];
  /** How the followed run's agents are named on the page. */
  #label: AgentLabel = humanizeAgentName;
  #finished = false;
  /** The followed run's events, for its timeline once it ends. */
  #events: WorkflowEvent[] = [];
  /** The answer being written: whose, which turn and attempt, and its text so far. */
  #preview: { agent: string; turn: number; attempt: number; text: string } | undefined;

  constructor(dependencies: ChatDependencies) {
    this.#client = dependencies.client;
    this.#storage = dependencies.storage;
    this.#view = new ChatView(this);
  }

  /**
   * Loads the workflows, then resumes the tab's run if it has one (its agents then have their display
   * names from the first event on), else shows the start form.
   */
  async init(): Promise<void> {
    const saved = loadSavedRun(this.#storage);
    if (!saved) this.#view.showStartForm();
    try {
      this.#workflows = await this.#client.listWorkflows();
      this.#view.setWorkflows(this.#workflows);
    } catch (error) {
      this.#view.showError(
        `The workflows could not be loaded: ${messageOf(error)} Reload the page to try again.`,
      );
    }
    if (saved) this.#follow(saved.run, saved.lastSeq);
  }

  start(input: { workflow: string; mode: InteractionMode; message: string }): void {
    void this.#start(input);
  }

  reply(message: string): void {
    void this.#reply(message);
  }

  approve(answer: { approved: boolean; reason?: string }): void {
    void this.#approve(answer);
  }

  stop(): void {
    void this.#stop();
  }

  newConversation(): void {
    this.#following?.abort();
    this.#following = undefined;
    this.#run = undefined;
    hideTimeline();
    forgetRun(this.#storage);
    this.#view.clearError();
    this.#view.showStartForm();
  }

  async #start(input: { workflow: string; mode: InteractionMode; message: string }): Promise<void> {
    if (input.workflow === '') {
      this.#view.showError('Choose a workflow first.');
      return;
    }
    this.#view.clearError();
    this.#view.setStarting(true);
    try {
      const { workflow, runId, token } = await this.#client.startRun(input.workflow, {
        message: input.message,
        mode: input.mode,
      });
      const run = { workflow, runId, token };
      saveRun(this.#storage, { run, lastSeq: 0 });
      this.#follow(run, 0);
    } catch (error) {
      this.#view.setStarting(false);
      this.#view.showError(messageOf(error));
    }
  }

  /** Shows `run` from its first event on; `resumeSeq` is how far this tab had got before a reload. */
  #follow(run: Run, resumeSeq: number): void {
    this.#following?.abort();
    const following = new AbortController();
    this.#following = following;
    this.#run = run;
    this.#label = agentLabels(this.#workflows.find((workflow) => workflow.name === run.workflow));
    this.#pendingRequestId = undefined;
    this.#lastStatus = undefined;
    this.#lastError = undefined;
    this.#finished = false;
    this.#retrying = false;
    this.#events = [];
    hideTimeline();
    this.#preview = undefined;
    this.#replayUntil = resumeSeq;
    this.#view.showConversation(run.workflow);
    this.#view.setReplaying(resumeSeq > 0);
    void this.#stream(run, following.signal);
  }

  async #stream(run: Run, signal: AbortSignal): Promise<void> {
    try {
      const items = this.#client.runStream(run, {
        signal,
        reconnect: RECONNECT,
        onConnection: (state) => this.#view.setConnection(state),
        deltas: true,
      });
      for await (const item of items) {
        if (item.type === 'agent_response_delta') this.#onDelta(run, item);
        else this.#onEvent(run, item);
      }
      this.#view.setConnection('closed');
      // The stream ends after `output`, or once the run is over without one.
      this.#finish(run, undefined);
    } catch (error) {
      if (signal.aborted || run !== this.#run) return;
      this.#view.setConnection('closed');
      this.#view.hideReply();
      this.#view.setStopEnabled(false);
      this.#view.setProgress('');
      if (isLost(error)) {
        forgetRun(this.#storage);
        this.#view.showError(
          `This conversation can no longer be followed: ${messageOf(error)} Start a new conversation.`,
        );
      } else {
        this.#view.showError(
          `The conversation stopped updating: ${messageOf(error)} Reload the page to resume.`,
        );
      }
    }
  }

  /** A piece of an answer being written: the preview bubble grows (a later attempt starts it again). */
  #onDelta(run: Run, delta: AgentResponseDelta): void {
    if (run !== this.#run) return;
    const preview = this.#preview;
    const same = preview?.agent === delta.agent && preview.turn === delta.turn;
    if (same && delta.attempt < preview.attempt) return;
    if (!same) this.#view.dropPreview();
    const text = same && delta.attempt === preview.attempt ? preview.text + delta.delta : delta.delta;
    const starts = !same || delta.attempt !== preview.attempt;
    this.#preview = { agent: delta.agent, turn: delta.turn, attempt: delta.attempt, text };
    this.#view.showPreview(this.#label(delta.agent), text);
    // Once per preview: the progress line is a live region, read out at every change.
    if (starts) this.#view.setProgress(`${this.#label(delta.agent)} is typing…`);
  }

  /**
   * The durable events that end a preview: the answer itself (which takes the preview's bubble),
   * or the agent's step, an error or the run's end without one (the preview goes). True when the
   * event's answer took the preview's bubble.
   */
  #settlePreview(event: WorkflowEvent): boolean {
    const preview = this.#preview;
    if (!preview) return false;
    if (event.type === 'agent_response' && event.agent === preview.agent) {
      this.#preview = undefined;
      this.#view.setProgress('');
      this.#view.settlePreview({ name: this.#label(event.agent), side: 'agent' }, event.text);
      return true;
    }
    const ends =
      event.type === 'agent_response' ||
      (event.type === 'executor_completed' && event.executorId === preview.agent) ||
      event.type === 'error' ||
      event.type === 'status' ||
      event.type === 'output';
    if (ends) {
      this.#preview = undefined;
      this.#view.setProgress('');
      this.#view.dropPreview();
    }
    return false;
  }

  #onEvent(run: Run, event: WorkflowEvent): void {
    if (run !== this.#run) return;
    this.#events.push(event);
    const settled = this.#settlePreview(event);
    saveRun(this.#storage, { run, lastSeq: event.seq });
    if (event.seq >= this.#replayUntil) this.#view.setReplaying(false);
    const note = noteFor(event, this.#label);
    if (note) this.#view.addNote(note);
    const progress = this.#progressAfter(event);
    if (progress !== undefined) this.#view.setProgress(progress);
    switch (event.type) {
      case 'agent_response':
        if (!settled) this.#view.addMessage({ name: this.#label(event.agent), side: 'agent' }, event.text);
        break;
      case 'user_message':
        // The reply this page sent is already shown (at once, when sent): the echo confirms it.
        if (event.requestId !== undefined && this.#view.confirmSentReply(event.requestId, event.text)) {
          if (event.requestId === this.#pendingRequestId) this.#pendingRequestId = undefined;
          break;
        }
        this.#view.addMessage(
          event.synthetic
            ? { name: 'Automatic prompt', side: 'user', synthetic: true }
            : { name: 'You', side: 'user' },
          event.text,
        );
        if (event.requestId !== undefined && event.requestId === this.#pendingRequestId) {
          this.#pendingRequestId = undefined;
          this.#view.hideReply();
        }
        break;
      case 'request_info':
        this.#pendingRequestId = event.requestId;
        if (event.kind === 'tool_approval' && event.tool)
          this.#view.askForApproval(this.#label(event.agent), event.tool);
        else this.#view.askForReply(this.#label(event.agent));
        break;
      case 'tool_approval':
        if (event.requestId === this.#pendingRequestId) {
          this.#pendingRequestId = undefined;
          this.#view.hideApproval();
        }
        break;
      case 'error':
        this.#lastError = { code: event.code, message: event.message };
        break;
      case 'status':
        this.#lastStatus = { state: event.state, stopReason: event.stopReason };
        if (isFinished(event.state)) {
          this.#pendingRequestId = undefined;
          this.#view.hideReply();
          this.#view.hideApproval();
          this.#view.setStopEnabled(false);
        }
        break;
      case 'output':
        showTimeline(this.#events);
        this.#finish(
          run,
          this.#lastStatus
            ? outcomeOf({
                state: this.#lastStatus.state,
                stopReason: event.stopReason,
                error: this.#lastError,
              })
            : undefined,
        );
        break;
      default:
        break;
    }
  }

  /**
   * The progress line after `event`. A retry notice stays while the turn waits and while the agent
   * tries again (its end and start in between say nothing new); anything else replaces it.
   */
  #progressAfter(event: WorkflowEvent): string | undefined {
    if (event.type === 'warning' && event.retry) {
      this.#retrying = true;
      return progressText(event, this.#label);
    }
    if (this.#retrying && (event.type === 'executor_completed' || event.type === 'executor_invoked')) {
      return undefined;
    }
    if (event.type !== 'warning') this.#retrying = false;
    return progressText(event, this.#label);
  }

  /** Shows how `run` ended (asking the API when the events did not say). */
  #finish(run: Run, outcome: Outcome | undefined): void {
    if (this.#finished || run !== this.#run) return;
    this.#finished = true;
    if (outcome) {
      this.#view.showOutcome(outcome);
      return;
    }
    this.#client.status(run).then(
      (status) => {
        if (run === this.#run) this.#view.showOutcome(outcomeOf(status));
      },
      (error: unknown) =>
        this.#view.showError(`The run has ended; its final state could not be read: ${messageOf(error)}`),
    );
  }

  async #reply(message: string): Promise<void> {
    const run = this.#run;
    const requestId = this.#pendingRequestId;
    if (!run || requestId === undefined) return;
    this.#view.clearError();
    this.#view.setReplySending(true);
    // Shown at once; the user_message echo confirms it (or the bubble goes if the reply is refused).
    this.#view.showSentReply(requestId, message);
    try {
      await this.#client.respond(run, message, { requestId });
      if (this.#pendingRequestId === requestId) {
        this.#pendingRequestId = undefined;
        this.#view.hideReply();
        this.#view.setProgress('Reply sent.');
      }
    } catch (error) {
      this.#view.withdrawSentReply(requestId);
      this.#view.setReplySending(false);
      this.#view.showError(messageOf(error));
    }
  }

  async #approve(answer: { approved: boolean; reason?: string }): Promise<void> {
    const run = this.#run;
    const requestId = this.#pendingRequestId;
    if (!run || requestId === undefined) return;
    this.#view.clearError();
    this.#view.setApprovalSending(true);
    try {
      await this.#client.respond(run, answer, { requestId });
      if (this.#pendingRequestId === requestId) {
        this.#pendingRequestId = undefined;
        this.#view.hideApproval();
        this.#view.setProgress(answer.approved ? 'Approved.' : 'Rejected.');
      }
    } catch (error) {
      this.#view.setApprovalSending(false);
      this.#view.showError(messageOf(error));
    }
  }

  async #stop(): Promise<void> {
    const run = this.#run;
    if (!run || this.#finished) return;
    this.#view.setStopEnabled(false);
    this.#view.setProgress('Stopping…');
    try {
      await this.#client.terminate(run);
    } catch (error) {
      // Already over: its closing events are on their way.
      if (HandoffApiError.isInstance(error) && error.code === 'run_finished') return;
      this.#view.setStopEnabled(true);
      this.#view.showError(messageOf(error));
    }
  }
}
