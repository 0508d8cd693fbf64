/**
 * What the page says about run events: the progress line, notes in the conversation, and the final
 * state. Pure functions of the events, so the wording lives in one place.
 */
import type { RunState, RunStatusResponse, WorkflowEvent } from 'durable-handoff/client';

/** Executor ids that are workflow steps, not agents (see the API's event naming). */
const WORKFLOW_STEPS = new Set(['input-conversation', 'handoff-coordinator']);

const MODE_NAMES: Readonly<Record<string, string>> = {
  human_in_loop: 'human in the loop',
  autonomous: 'autonomous',
};

/** The progress line after `event`, or undefined to keep the current one. */
export function progressText(event: WorkflowEvent): string | undefined {
  switch (event.type) {
    case 'started':
      return `Started ${event.workflow} (${MODE_NAMES[event.mode] ?? event.mode}).`;
    case 'executor_invoked':
      return WORKFLOW_STEPS.has(event.executorId) ? undefined : `${event.executorId} is working…`;
    case 'handoff_sent':
      return handoffText(event.source, event.target);
    case 'request_info':
      return event.kind === 'tool_approval'
        ? `${event.agent} needs your approval to run ${event.tool?.name ?? 'a tool'}.`
        : `${event.agent} is waiting for your reply.`;
    case 'tool_call':
      return `${event.agent} is running ${event.tool}…`;
    case 'user_message':
      return event.requestId !== undefined ? 'Reply received.' : undefined;
    case 'status':
      return `Run ${event.state}.`;
    default:
      return undefined;
  }
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

/** The conversation note for `event`, if it gets one. */
export function noteFor(event: WorkflowEvent): Note | undefined {
  switch (event.type) {
    case 'handoff_sent':
      return {
        text: handoffText(event.source, event.target) + (event.reason ? ` (${event.reason})` : ''),
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
      return event.ok ? { text: `${event.agent} used ${event.tool}`, tone: 'info' } : undefined;
    case 'warning':
      return { text: `Warning: ${event.message}`, tone: 'warning' };
    case 'error':
      return { text: `Error (${event.code}): ${event.message}`, tone: 'error' };
    default:
      return undefined;
  }
}

const STOP_REASONS: Readonly<Record<string, string>> = {
  terminated_by_condition: "the workflow's end condition was met",
  reply_timeout: 'no reply arrived in time',
  turn_limit: 'the turn limit was reached',
  cancelled: 'the run was stopped',
  error: 'an error ended the run',
};

/** How a run ended, for the final-state panel. */
export interface Outcome {
  state: RunState;
  title: string;
  detail: string;
}

/** The final-state panel's text for a finished run. */
export function outcomeOf(status: Pick<RunStatusResponse, 'state' | 'stopReason' | 'error'>): Outcome {
  const reason = status.stopReason;
  const why = reason === undefined ? '' : `${STOP_REASONS[reason] ?? reason} (stopReason: ${reason})`;
  const error = status.error ? `${why ? '. ' : ''}Error ${status.error.code}: ${status.error.message}` : '';
  return {
    state: status.state,
    title: `Conversation ${status.state}`,
    detail: `${why.charAt(0).toUpperCase()}${why.slice(1)}${error}` || 'The run has ended.',
  };
}
