/**
 * Runs one of an agent's tool calls and turns the outcome into the text the model reads.
 */
import type { FunctionTool, ToolContext } from '../../core/tool';
import { toolFailedText } from '../../core/tool-messages';
import type { RecordedToolResult } from './turn-journal';

function serialize(output: unknown): string {
  if (typeof output === 'string') return output;
  // JSON.stringify(undefined) is undefined: a tool that returns nothing reads as an empty result.
  return JSON.stringify(output) ?? '';
}

/**
 * Runs `tool` with validated `args`. A tool that throws (or returns something that is not JSON)
 * becomes an error result the model can read (`ok: false`); only cancellation (the turn's signal
 * aborted) propagates.
 */
export async function executeTool(
  tool: FunctionTool,
  args: unknown,
  context: ToolContext,
): Promise<RecordedToolResult> {
  try {
    const output: unknown = await tool.execute(args, context);
    return { text: serialize(output), ok: true };
  } catch (error) {
    if (context.signal?.aborted === true) throw context.signal.reason;
    const problem = error instanceof Error ? error.message : String(error);
    return { text: toolFailedText(tool.name, problem), ok: false };
  }
}
