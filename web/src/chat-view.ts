/**
 * The page's elements and what can be done to them. The controller decides; the view shows,
 * moves focus and reports what the user asked for.
 */
import type { ConnectionState, InteractionMode, WorkflowDescription } from 'durable-handoff/client';
import { agentLabels } from './agent-labels.js';
import { byId, element, submitOnEnter } from './dom.js';
import type { Note, Outcome } from './event-text.js';
import { appendBubble, appendNote, PreviewBubble, type BubbleAuthor } from './transcript-view.js';

/** What the user asked for. */
export interface ViewActions {
  /** Start a run of `workflow` with the first message. */
  start(input: { workflow: string; mode: InteractionMode; message: string }): void;
  /** Answer the open question. */
  reply(message: string): void;
  /** Approve or reject the tool call the open request asks about. */
  approve(answer: { approved: boolean; reason?: string }): void;
  /** Terminate the run. */
  stop(): void;
  /** Leave the run and show the start form. */
  newConversation(): void;
}

const CONNECTION_TEXT: Readonly<Record<ConnectionState | 'closed', string>> = {
  connecting: 'Connecting…',
  live: '',
  reconnecting: 'Connection lost. Reconnecting… (the conversation goes on meanwhile)',
  closed: '',
};

/** The chat page's DOM. */
export class ChatView {
  readonly #startForm = byId('start-form', HTMLFormElement);
  readonly #workflow = byId('workflow', HTMLSelectElement);
  readonly #workflowDescription = byId('workflow-description', HTMLParagraphElement);
  readonly #message = byId('message', HTMLTextAreaElement);
  readonly #startButton = byId('start-button', HTMLButtonElement);
  readonly #conversation = byId('conversation', HTMLElement);
  readonly #conversationTitle = byId('conversation-title', HTMLHeadingElement);
  readonly #transcript = byId('transcript', HTMLOListElement);
  readonly #progress = byId('progress', HTMLParagraphElement);
  readonly #replyForm = byId('reply-form', HTMLFormElement);
  readonly #replyLabel = byId('reply-label', HTMLLabelElement);
  readonly #reply = byId('reply', HTMLTextAreaElement);
  readonly #replyButton = byId('reply-button', HTMLButtonElement);
  readonly #approvalForm = byId('approval-form', HTMLFormElement);
  readonly #approvalTitle = byId('approval-title', HTMLHeadingElement);
  readonly #approvalSummary = byId('approval-summary', HTMLParagraphElement);
  readonly #approvalArguments = byId('approval-arguments', HTMLElement);
  readonly #approvalReason = byId('approval-reason', HTMLTextAreaElement);
  readonly #approveButton = byId('approve-button', HTMLButtonElement);
  readonly #rejectButton = byId('reject-button', HTMLButtonElement);
  readonly #final = byId('final', HTMLDivElement);
  readonly #finalTitle = byId('final-title', HTMLHeadingElement);
  readonly #finalDetail = byId('final-detail', HTMLParagraphElement);
  readonly #finalDetails = byId('final-details', HTMLDetailsElement);
  readonly #finalTechnical = byId('final-technical', HTMLParagraphElement);
  /** The reply bubble shown when sent, until its echo (user_message) arrives. */
  #sentReply: { requestId: string; item: HTMLLIElement } | undefined;
  readonly #stop = byId('stop', HTMLButtonElement);
  readonly #newConversation = byId('new-conversation', HTMLButtonElement);
  readonly #connection = byId('connection', HTMLParagraphElement);
  readonly #error = byId('error', HTMLParagraphElement);
  #workflows: WorkflowDescription[] = [];
  #preview: PreviewBubble | undefined;

  constructor(actions: ViewActions) {
    submitOnEnter(this.#message, this.#startForm);
    submitOnEnter(this.#reply, this.#replyForm);
    this.#workflow.addEventListener('change', () => this.#describeWorkflow());
    this.#startForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const message = this.#message.value.trim();
      if (message === '') return this.#invalid(this.#message, 'Type a message first.');
      const mode =
        new FormData(this.#startForm).get('mode') === 'autonomous' ? 'autonomous' : 'human_in_loop';
      actions.start({ workflow: this.#workflow.value, mode, message });
    });
    this.#replyForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const message = this.#reply.value.trim();
      if (message === '') return this.#invalid(this.#reply, 'Type a reply first.');
      actions.reply(message);
    });
    const answer = (approved: boolean): void => {
      const reason = this.#approvalReason.value.trim();
      actions.approve(reason === '' ? { approved } : { approved, reason });
    };
    this.#approvalForm.addEventListener('submit', (event) => {
      event.preventDefault();
      answer(true);
    });
    this.#rejectButton.addEventListener('click', () => answer(false));
    this.#stop.addEventListener('click', () => actions.stop());
    this.#newConversation.addEventListener('click', () => actions.newConversation());
  }

  /** Fills the workflow picker. */
  setWorkflows(workflows: WorkflowDescription[]): void {
    this.#workflows = workflows;
    this.#workflow.replaceChildren(...workflows.map((workflow) => new Option(workflow.name, workflow.name)));
    this.#workflow.disabled = workflows.length === 0;
    this.#describeWorkflow();
  }

  /** The start form, empty, with the message box focused. */
  showStartForm(): void {
    this.#conversation.hidden = true;
    this.#startForm.hidden = false;
    this.#message.value = '';
    this.setStarting(false);
    this.#message.focus();
  }

  /** Disables the start form while a start is in flight. */
  setStarting(starting: boolean): void {
    this.#startButton.disabled = starting;
    this.#startButton.textContent = starting ? 'Starting…' : 'Send';
  }

  /** An empty conversation of `workflow`, with the heading focused. */
  showConversation(workflow: string): void {
    this.#startForm.hidden = true;
    this.#conversation.hidden = false;
    this.#conversationTitle.textContent = `Conversation with ${workflow}`;
    this.#transcript.replaceChildren();
    this.#preview = undefined;
    this.#transcript.removeAttribute('aria-busy');
    this.#progress.textContent = '';
    this.hideReply();
    this.hideApproval();
    this.#final.hidden = true;
    this.#stop.disabled = false;
    this.#conversationTitle.focus();
  }

  /**
   * While the conversation is rebuilt from the event log after a reload, screen readers are told
   * the list is busy, so they do not read out the whole history again.
   */
  setReplaying(replaying: boolean): void {
    if (replaying) this.#transcript.setAttribute('aria-busy', 'true');
    else this.#transcript.removeAttribute('aria-busy');
  }

  /** Appends a chat bubble. */
  addMessage(author: BubbleAuthor, text: string): void {
    appendBubble(this.#transcript, author, text);
  }

  /** Shows the user's reply to `requestId` at once, marked as sending. */
  showSentReply(requestId: string, text: string): void {
    this.withdrawSentReply(requestId);
    const item = appendBubble(this.#transcript, { name: 'You', side: 'user' }, text);
    item.classList.add('bubble-sending');
    this.#sentReply = { requestId, item };
  }

  /** True (and the bubble settles, with the text the run recorded) when the echo is of the reply shown. */
  confirmSentReply(requestId: string, text: string): boolean {
    const sent = this.#sentReply;
    if (sent?.requestId !== requestId) return false;
    this.#sentReply = undefined;
    sent.item.classList.remove('bubble-sending');
    const shown = sent.item.querySelector('.bubble-text');
    if (shown) shown.textContent = text;
    return true;
  }

  /** Removes the reply bubble shown for `requestId` (the reply was refused). */
  withdrawSentReply(requestId: string): void {
    if (this.#sentReply?.requestId !== requestId) return;
    this.#sentReply.item.remove();
    this.#sentReply = undefined;
  }

  /** Shows `agent`'s answer so far in a bubble in its typing state (a new one if none is shown). */
  showPreview(agent: string, text: string): void {
    this.#preview ??= new PreviewBubble(this.#transcript, agent);
    this.#preview.show(text);
  }

  /** The answer arrived: the preview bubble becomes its bubble, or a new one is added if there was none. */
  settlePreview(author: BubbleAuthor, text: string): void {
    if (this.#preview) this.#preview.settle(text);
    else this.addMessage(author, text);
    this.#preview = undefined;
  }

  /** Removes the preview bubble, if one is shown. */
  dropPreview(): void {
    this.#preview?.remove();
    this.#preview = undefined;
  }

  /** Appends a note (handoff, warning, error). */
  addNote(note: Note): void {
    appendNote(this.#transcript, note);
  }

  /** The progress line (a polite live region). */
  setProgress(text: string): void {
    this.#progress.textContent = text;
  }

  /** Shows the reply box for `agent`'s question and focuses it. */
  askForReply(agent: string): void {
    this.#replyLabel.textContent = `Your reply to ${agent}`;
    this.#replyForm.hidden = false;
    this.setReplySending(false);
    this.#reply.focus();
  }

  /**
   * Shows the approval card for `agent`'s call of `tool`: its arguments as a readable list, an
   * optional reason, Approve and Reject. Its heading takes the focus, so it is read out first.
   */
  askForApproval(agent: string, tool: { name: string; arguments: unknown }): void {
    this.#approvalSummary.textContent = `${agent} wants to run ${tool.name}.`;
    this.#approvalArguments.replaceChildren(...argumentItems(tool.arguments));
    this.#approvalReason.value = '';
    this.#approvalForm.hidden = false;
    this.setApprovalSending(false);
    this.#approvalTitle.focus();
  }

  /** Hides the approval card; its focus, if it had it, goes to the conversation heading. */
  hideApproval(): void {
    const hadFocus = this.#approvalForm.contains(document.activeElement);
    this.#approvalForm.hidden = true;
    if (hadFocus) this.#conversationTitle.focus();
  }

  /** Disables the card's buttons while an answer is on its way. */
  setApprovalSending(sending: boolean): void {
    this.#approveButton.disabled = sending;
    this.#rejectButton.disabled = sending;
  }

  /** Hides the reply box; its focus, if it had it, goes to the conversation heading. */
  hideReply(): void {
    const hadFocus = this.#replyForm.contains(document.activeElement);
    this.#replyForm.hidden = true;
    this.#reply.value = '';
    if (hadFocus) this.#conversationTitle.focus();
  }

  /** Disables the reply button while a reply is on its way. */
  setReplySending(sending: boolean): void {
    this.#replyButton.disabled = sending;
    this.#replyButton.textContent = sending ? 'Sending…' : 'Send reply';
  }

  /** Enables Stop while the run can still be stopped. */
  setStopEnabled(enabled: boolean): void {
    this.#stop.disabled = !enabled;
  }

  /** The final state, focused so that it is read out. */
  showOutcome(outcome: Outcome): void {
    this.hideReply();
    this.hideApproval();
    this.#stop.disabled = true;
    this.#final.dataset.state = outcome.state;
    this.#finalTitle.textContent = outcome.title;
    this.#finalDetail.textContent = outcome.detail;
    this.#finalTechnical.textContent = outcome.technical;
    this.#finalDetails.open = false;
    this.#finalDetails.hidden = outcome.technical === '';
    this.#final.hidden = false;
    this.#final.focus();
  }

  /** The "Connecting…" / "Reconnecting…" indicator; nothing while the stream is live or closed. */
  setConnection(state: ConnectionState | 'closed'): void {
    this.#connection.textContent = CONNECTION_TEXT[state];
    this.#connection.hidden = CONNECTION_TEXT[state] === '';
    this.#connection.dataset.state = state;
  }

  /** Shows `message` in the alert region. */
  showError(message: string): void {
    this.#error.textContent = message;
    this.#error.hidden = false;
  }

  /** Empties the alert region. */
  clearError(): void {
    this.#error.hidden = true;
    this.#error.textContent = '';
  }

  #describeWorkflow(): void {
    const chosen = this.#workflows.find((workflow) => workflow.name === this.#workflow.value);
    this.#workflowDescription.textContent = chosen
      ? `${chosen.description ?? ''} Starts with ${agentLabels(chosen)(chosen.startAgent)}.`.trim()
      : '';
  }

  #invalid(field: HTMLTextAreaElement, message: string): void {
    this.showError(message);
    field.setAttribute('aria-invalid', 'true');
    field.addEventListener('input', () => field.removeAttribute('aria-invalid'), { once: true });
    field.focus();
  }
}

/** A call's arguments as `<dt>`/`<dd>` pairs: one per property, nested values as indented JSON. */
function argumentItems(args: unknown): HTMLElement[] {
  const entries =
    typeof args === 'object' && args !== null && !Array.isArray(args)
      ? Object.entries(args as Record<string, unknown>)
      : [['value', args] as const];
  if (entries.length === 0) return [element('dt', '', 'No arguments'), element('dd', '', '—')];
  return entries.flatMap(([key, value]) => [
    element('dt', '', key),
    element('dd', '', typeof value === 'string' ? value : JSON.stringify(value, null, 2)),
  ]);
}
