/**
 * What the demo prints, as pure functions of the events: the Agent Framework article's console
 * output (`⚡ Starting:` / `✓ Completed:` lines, `✅ Workflow completed!`, the numbered history).
 */
import type { ConversationMessage } from '../../src/core/messages';
import type { WorkflowEvent, WorkflowEventOf } from '../../src/core/events';

const RULE = '='.repeat(60);
const THIN_RULE = '-'.repeat(60);

/** The lines before the run: title and customer issue. */
export function bannerLines(message: string): string[] {
  return ['Running handoff workflow: Coordinator → Specialists', RULE, `Customer issue: ${message}`, RULE];
}

/** The line an event prints on stdout, if any (the article prints executor and status events only). */
export function eventLine(event: WorkflowEvent): string | undefined {
  switch (event.type) {
    case 'executor_invoked':
      return `⚡ Starting: ${event.executorId}`;
    case 'executor_completed':
      return `✓ Completed: ${event.executorId}`;
    case 'status':
      return statusLine(event);
    default:
      return undefined;
  }
}

/**
 * The line of an executor that ended because its turn failed (an `error` event came just before its
 * `executor_completed`): not the article's "✓ Completed" after the error.
 */
export function failedExecutorLine(event: WorkflowEventOf<'executor_completed'>): string {
  return `✗ Stopped: ${event.executorId} (its turn failed)`;
}

function statusLine(event: WorkflowEventOf<'status'>): string | undefined {
  const reason = event.stopReason;
  switch (event.state) {
    case 'completed':
      return reason === undefined || reason === 'terminated_by_condition'
        ? '✅ Workflow completed!'
        : `✅ Workflow completed! (stop reason: ${reason})`;
    case 'failed':
      return `❌ Workflow failed (stop reason: ${reason ?? 'error'})`;
    case 'terminated':
      return `⏹ Workflow terminated (stop reason: ${reason ?? 'cancelled'})`;
    default:
      return undefined;
  }
}

/** The line a warning or error event prints on stderr. */
export function problemLine(event: WorkflowEventOf<'warning'> | WorkflowEventOf<'error'>): string {
  return `${event.type === 'error' ? '❌ error' : '⚠ warning'} ${event.code}: ${event.message}`;
}

/** The lines that ask the human to approve a tool call in interactive mode. */
export function approvalLines(event: WorkflowEventOf<'request_info'>): string[] {
  const tool = event.tool;
  return [
    `🔐 ${event.agent} asks to run ${tool?.name ?? 'a tool'}:`,
    ...JSON.stringify(tool?.arguments ?? {}, null, 2)
      .split('\n')
      .map((line) => `   ${line}`),
    'Approve? Type y, or n followed by a reason (e.g. "n amount too high").',
  ];
}

/** The approval typed after {@link approvalLines}: `y`/`yes`, or `n`/`no` with an optional reason. */
export function parseApprovalAnswer(line: string): { approved: boolean; reason?: string } | undefined {
  const match = /^\s*(y|yes|n|no)\b\s*(.*)$/i.exec(line);
  if (!match) return undefined;
  const approved = match[1]!.toLowerCase().startsWith('y');
  const reason = match[2]?.trim();
  return reason ? { approved, reason } : { approved };
}

/** The lines that show an agent's question in interactive mode (only the header when its answer showed it). */
export function questionLines(event: WorkflowEventOf<'request_info'>, shown = false): string[] {
  return shown ? [`💬 ${event.agent} asks: (above)`] : [`💬 ${event.agent} asks:`, event.prompt];
}

/** The numbered conversation history, as the article prints it. */
export function historyLines(conversation: readonly ConversationMessage[]): string[] {
  const lines = [RULE, 'CONVERSATION HISTORY', RULE];
  conversation.forEach((message, index) => {
    const number = String(index + 1).padStart(2, '0');
    const note = message.synthetic ? ' (autonomous prompt)' : '';
    lines.push(THIN_RULE, `${number} [${message.authorName}]${note}`, THIN_RULE, message.text);
  });
  return lines;
}
