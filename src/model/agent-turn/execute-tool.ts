/**
 * Runs one step of an agent's tool calls and turns the outcome into a tool result message.
 */
import type { ToolResultMessage } from '../../core/messages';
import type { ToolStep } from '../../core/routing';
import type { ToolContext } from '../../core/tool';
import { toolFailedText } from '../../core/tool-messages';

/** The result message of a step, and the failure message when the tool threw. */
export interface StepOutcome {
  message: ToolResultMessage;
  failure?: string;
}

function serialize(output: unknown): string {
  if (typeof output === 'string') return output;
  // JSON.stringify(undefined) is undefined: a tool that returns nothing reads as an empty result.
  return JSON.stringify(output) ?? '';
}

/**
 * Answers `step`: an `answer` step with its text, an `execute` step by running the tool. A tool that
 * throws (or returns something that is not JSON) becomes an error result the model can read; only
 * cancellation (the turn's signal aborted) propagates.
 */
export async function runToolStep(
  step: ToolStep,
  context: Omit<ToolContext, 'toolCallId'>,
): Promise<StepOutcome> {
  const base = {
    role: 'tool' as const,
    authorName: context.agentName,
    toolCallId: step.call.id,
    toolName: step.call.name,
  };
  if (step.kind === 'answer') return { message: { ...base, text: step.text } };
  try {
    const output: unknown = await step.tool.execute(step.args, { ...context, toolCallId: step.call.id });
    return { message: { ...base, text: serialize(output) } };
  } catch (error) {
    if (context.signal?.aborted === true) throw context.signal.reason;
    const problem = error instanceof Error ? error.message : String(error);
    return { message: { ...base, text: toolFailedText(step.tool.name, problem) }, failure: problem };
  }
}
