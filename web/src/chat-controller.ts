/**
 * The chat's behaviour: start a run, follow its events, answer its questions, stop it, and resume
 * the same run after a reload.
 */
import { ApiRequestError, type ChatApi } from './api-client.js';
import {
  isFinalState,
  type ChatEvent,
  type InteractionMode,
  type RunState,
  type StartedRun,
} from './api-types.js';
import { ChatView, type ViewActions } from './chat-view.js';
import { EventFeed } from './event-feed.js';
import { noteFor, outcomeOf, progressText, type Outcome } from './event-text.js';
import { forgetRun, loadSavedRun, saveRun } from './run-session.js';

/** What the controller works with. */
export interface ChatDependencies {
  api: ChatApi;
  /** sessionStorage: the followed run survives a reload of this tab only. */
  storage: Storage;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Errors after which the run cannot be followed any more (gone, or the token is refused). */
function isLost(error: unknown): boolean {
  return error instanceof ApiRequestError && [401, 403, 404].includes(error.status);
}

/** Drives the page. One per page. */
export class ChatController implements ViewActions {
  readonly #api: ChatApi;
  readonly #storage: Storage;
  readonly #view: ChatView;
  #run: StartedRun | undefined;
  #feed: EventFeed | undefined;
  #pendingRequestId: string | undefined;
  #lastStatus: { state: RunState; stopReason: string | undefined } | undefined;
  #lastError: { code: string; message: string } | undefined;
  #replayUntil = 0;
  #finished = false;
  #checking = false;

  constructor(dependencies: ChatDependencies) {
    this.#api = dependencies.api;
    this.#storage = dependencies.storage;
    this.#view = new ChatView(this);
  }

  /** Resumes the tab's run if it has one, else shows the start form; loads the workflows. */
  async init(): Promise<void> {
    const saved = loadSavedRun(this.#storage);
    if (saved) this.#follow(saved.run, saved.lastSeq);
    else this.#view.showStartForm();
    try {
      this.#view.setWorkflows(await this.#api.listWorkflows());
    } catch (error) {
      this.#view.showError(
        `The workflows could not be loaded: ${messageOf(error)} Reload the page to try again.`,
      );
    }
  }

  start(input: { workflow: string; mode: InteractionMode; message: string }): void {
    void this.#start(input);
  }

  reply(message: string): void {
    void this.#reply(message);
  }

  stop(): void {
    void this.#stop();
  }

  newConversation(): void {
    this.#feed?.close();
    this.#feed = undefined;
    this.#run = undefined;
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
      const run = await this.#api.startRun(input.workflow, input.message, input.mode);
      saveRun(this.#storage, { run, lastSeq: 0 });
      this.#follow(run, 0);
    } catch (error) {
      this.#view.setStarting(false);
      this.#view.showError(messageOf(error));
    }
  }

  /** Shows `run` from its first event on; `resumeSeq` is how far this tab had got before a reload. */
  #follow(run: StartedRun, resumeSeq: number): void {
    this.#run = run;
    this.#pendingRequestId = undefined;
    this.#lastStatus = undefined;
    this.#lastError = undefined;
    this.#finished = false;
    this.#replayUntil = resumeSeq;
    this.#view.showConversation(run.workflow);
    this.#view.setReplaying(resumeSeq > 0);
    this.#feed = new EventFeed({
      eventsUri: run.eventsUri,
      token: run.token,
      after: 0,
      onEvent: (event) => this.#onEvent(run, event),
      onConnection: (state) => this.#view.setConnection(state),
      onInterrupted: () => void this.#checkRun(run),
      onUnreadable: (error) => this.#view.showError(error.message),
    });
    this.#feed.start();
  }

  #onEvent(run: StartedRun, event: ChatEvent): void {
    if (run !== this.#run) return;
    saveRun(this.#storage, { run, lastSeq: event.seq });
    if (event.seq >= this.#replayUntil) this.#view.setReplaying(false);
    const note = noteFor(event);
    if (note) this.#view.addNote(note);
    const progress = progressText(event);
    if (progress) this.#view.setProgress(progress);
    switch (event.type) {
      case 'agent_response':
        this.#view.addMessage({ name: event.agent, side: 'agent' }, event.text);
        break;
      case 'user_message':
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
        this.#view.askForReply(event.agent);
        break;
      case 'error':
        this.#lastError = { code: event.code, message: event.message };
        break;
      case 'status':
        this.#lastStatus = { state: event.state, stopReason: event.stopReason };
        if (isFinalState(event.state)) {
          this.#pendingRequestId = undefined;
          this.#view.hideReply();
          this.#view.setStopEnabled(false);
        }
        break;
      case 'output':
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

  /** Ends following `run` and shows how it ended (asking the API when the events did not say). */
  #finish(run: StartedRun, outcome: Outcome | undefined): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#feed?.close();
    if (outcome) {
      this.#view.showOutcome(outcome);
      return;
    }
    this.#api.getStatus(run).then(
      (status) => {
        if (run === this.#run) this.#view.showOutcome(outcomeOf(status));
      },
      (error: unknown) =>
        this.#view.showError(`The run has ended; its final state could not be read: ${messageOf(error)}`),
    );
  }

  /**
   * After the stream broke: if the run ended meanwhile, read the rest of its log as JSON (the feed
   * drops what it already delivered) and finish, instead of reconnecting to a stream that has nothing
   * more to say. Offline or a server error: the feed keeps reconnecting.
   */
  async #checkRun(run: StartedRun): Promise<void> {
    if (this.#checking || this.#finished) return;
    this.#checking = true;
    try {
      const status = await this.#api.getStatus(run);
      const feed = this.#feed;
      if (run !== this.#run || this.#finished || !feed || !isFinalState(status.state)) return;
      feed.deliver(await this.#api.readEvents(run, feed.lastSeq));
      if (!this.#finished && run === this.#run) this.#finish(run, outcomeOf(status));
    } catch (error) {
      if (run === this.#run && isLost(error)) {
        this.#feed?.close();
        forgetRun(this.#storage);
        this.#view.hideReply();
        this.#view.setStopEnabled(false);
        this.#view.setProgress('');
        this.#view.showError(
          `This conversation can no longer be followed: ${messageOf(error)} Start a new conversation.`,
        );
      }
    } finally {
      this.#checking = false;
    }
  }

  async #reply(message: string): Promise<void> {
    const run = this.#run;
    const requestId = this.#pendingRequestId;
    if (!run || requestId === undefined) return;
    this.#view.clearError();
    this.#view.setReplySending(true);
    try {
      await this.#api.respond(run, message, requestId);
      if (this.#pendingRequestId === requestId) {
        this.#pendingRequestId = undefined;
        this.#view.hideReply();
        this.#view.setProgress('Reply sent.');
      }
    } catch (error) {
      this.#view.setReplySending(false);
      this.#view.showError(messageOf(error));
    }
  }

  async #stop(): Promise<void> {
    const run = this.#run;
    if (!run || this.#finished) return;
    this.#view.setStopEnabled(false);
    this.#view.setProgress('Stopping…');
    try {
      await this.#api.terminate(run);
    } catch (error) {
      // Already over: its closing events are on their way.
      if (error instanceof ApiRequestError && error.code === 'run_finished') return;
      this.#view.setStopEnabled(true);
      this.#view.showError(messageOf(error));
    }
  }
}
