/**
 * What the page says about run events: the progress line, notes in the conversation, and the final
 * state. Pure functions of the events, so the wording lives in one place.
 */
import type { RunState, RunStatusResponse, WorkflowEvent } from 'durable-handoff/client';
import { humanizeAgentName, type AgentLabel } from './agent-labels.js';

/** Executor ids that are workflow steps, not agents (see the API's event naming). */
const WORKFLOW_STEPS = new Set(['input-conversation', 'handoff-coordinator']);

const MODE_NAMES: Readonly<Record<string, string>> = {
  human_in_loop: 'human in the loop',
  autonomous: 'autonomous',
};

/** The progress line after `event`, or undefined to keep the current one; agents named by `label`. */
export function progressText(
  event: WorkflowEvent,
  label: AgentLabel = humanizeAgentName,
): string | undefined {
  switch (event.type) {
    case 'started':
      return `Started ${event.workflow} (${MODE_NAMES[event.mode] ?? event.mode}).`;
    case 'executor_invoked':
      return WORKFLOW_STEPS.has(event.executorId) ? undefined : `${label(event.executorId)} is working…`;
    case 'handoff_sent':
      return handoffText(label(event.source), label(event.target));
    case 'request_info':
      return event.kind === 'tool_approval'
        ? `${label(event.agent)} needs your approval to run ${event.tool?.name ?? 'a tool'}.`
        : `${label(event.agent)} is waiting for your reply.`;
    case 'tool_call':
      return `${label(event.agent)} is running ${event.tool}…`;
    case 'user_message':
      return event.requestId !== undefined ? 'Reply received.' : undefined;
    case 'status':
      // The end-state panel says how it ended, once; the progress line goes quiet.
      return event.state === 'running' ? undefined : '';
    case 'warning':
      return event.retry ? retryText(event.retry) : undefined;
    default:
      return undefined;
  }
}

/** What the page says while an agent turn waits to be tried again: "… retrying (2/5)…". */
export function retryText(retry: { attempt: number; of: number }): string {
  return `The assistant is not answering, retrying (${retry.attempt}/${retry.of})…`;
}

/** "Handed off: a → b". */
export function handoffText(source: string, target: string): string {
  return `Handed off: ${source} → ${target}`;
}

/** A note shown in the conversation between messages. */
export interface Note {
  text: string;
  tone: 'info' | 'warning' | 'error';
}

/** The conversation note for `event`, if it gets one; agents named by `label`. */
export function noteFor(event: WorkflowEvent, label: AgentLabel = humanizeAgentName): Note | undefined {
  switch (event.type) {
    case 'handoff_sent':
      return {
        text:
          handoffText(label(event.source), label(event.target)) + (event.reason ? ` (${event.reason})` : ''),
        tone: 'info',
      };
    case 'tool_approval':
      return {
        text:
          `You ${event.approved ? 'approved' : 'rejected'} ${event.tool}` +
          (event.reason ? ` (${event.reason})` : ''),
        tone: 'info',
      };
    case 'tool_result':
      // A failure also comes as a tool_error warning, which says why.
      return event.ok ? { text: `${label(event.agent)} used ${event.tool}`, tone: 'info' } : undefined;
    case 'warning':
      // A retry is said on the progress line while it lasts, a cancel by the end-state panel (its
      // reason, "terminated through the API", speaks to developers).
      return event.retry || event.code === 'cancelled'
        ? undefined
        : { text: `Warning: ${event.message}`, tone: 'warning' };
    default:
      // An error ends the run: the end-state panel says so once, with the code behind "Details".
      return undefined;
  }
}

/** What ended a completed run, as a customer reads it. */
const COMPLETED_TEXT: Readonly<Record<string, string>> = {
  terminated_by_condition: 'Your request has been handled. Thank you for contacting us.',
  turn_limit: 'This conversation reached its length limit. Start a new one if you need more help.',
  reply_timeout: 'This conversation was closed because no reply arrived in time.',
};

/** Error codes that mean the model could not be reached or answered too slowly. */
const UNREACHABLE = new Set([
  'connection_error',
  'timeout',
  'server_error',
  'rate_limited',
  'service_unavailable',
]);

/** How a run ended, for the final-state panel: plain words, the codes behind a "Details" toggle. */
export interface Outcome {
  state: RunState;
  title: string;
  detail: string;
  /** The stop reason and error, for whoever needs them (support, a developer). */
  technical: string;
}

/** The final-state panel's text for a finished run. */
export function outcomeOf(status: Pick<RunStatusResponse, 'state' | 'stopReason' | 'error'>): Outcome {
  const reason = status.stopReason;
  const technical = [
    ...(reason === undefined ? [] : [`stopReason: ${reason}`]),
    ...(status.error ? [`error ${status.error.code}: ${status.error.message}`] : []),
  ].join('; ');
  switch (status.state) {
    case 'terminated':
      return {
        state: status.state,
        title: 'Conversation stopped',
        detail: 'This conversation was stopped. Start a new one whenever you like.',
        technical,
      };
    case 'failed':
      return {
        state: status.state,
        title: 'Something went wrong',
        detail:
          status.error && UNREACHABLE.has(status.error.code)
            ? 'The assistant could not be reached, so this conversation could not go on. Please try again in a moment.'
            : 'We could not finish this conversation. Please try again in a moment.',
        technical,
      };
    default:
      return {
        state: status.state,
        title: 'Conversation finished',
        detail: (reason && COMPLETED_TEXT[reason]) ?? 'This conversation has ended.',
        technical,
      };
  }
}
