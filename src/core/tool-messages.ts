/**
 * The texts the workflow writes as tool results and warnings. One place, so tests and docs can quote them.
 */

/** The synthetic result of the handoff call that was followed. */
export function transferredText(target: string): string {
  return `Transferred to ${target}.`;
}

/** The result of a handoff call that lost to a later one in the same response. */
export const IGNORED_HANDOFF_TEXT = 'Ignored: only one handoff per turn.';

/** The result of an own tool call made in the same response as a handoff: it is not executed. */
export function notExecutedText(toolName: string, target: string): string {
  return `Not executed: '${toolName}' was not run because the conversation was handed off to ${target}.`;
}

/** The error result of a handoff the agent was not offered (hallucinated or not allowed). */
export function invalidHandoffText(agentName: string, target: string, allowed: readonly string[]): string {
  const list = allowed.length > 0 ? allowed.join(', ') : 'none (answer directly instead)';
  return `Agent '${agentName}' may not hand off to '${target}'. Allowed targets: ${list}.`;
}

/** The error result of a call to a tool the agent does not have. */
export function unknownToolText(agentName: string, toolName: string, available: readonly string[]): string {
  const list = available.length > 0 ? available.join(', ') : 'none';
  return `Agent '${agentName}' has no tool '${toolName}'. Available tools: ${list}.`;
}

/** The error result of an own tool call whose arguments are not valid JSON or fail the tool's schema. */
export function invalidArgumentsText(toolName: string, problem: string): string {
  return `Invalid arguments for tool '${toolName}': ${problem}. Call it again with arguments that match its schema.`;
}

/** The error result of an own tool whose `execute` threw. */
export function toolFailedText(toolName: string, problem: string): string {
  return `Tool '${toolName}' failed: ${problem}`;
}

/** The result of a call the human rejected: the tool did not run, and the model reads why. */
export function rejectedText(toolName: string, reason: string | undefined): string {
  const why =
    reason !== undefined && reason.trim() !== '' ? ` Reason: ${reason.trim()}` : ' No reason was given.';
  return `Rejected: the human did not approve this call of '${toolName}', so it did not run.${why}`;
}
