/**
 * {@link ModelRequest} to Chat Completions request parameters: the instructions become the system
 * message, transcript messages keep their roles, tools become function tools.
 */
import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import type { TranscriptMessage } from '../core/messages';
import type { ModelRequest, ToolSpec } from '../core/model';

/** The header that tells servers (and the scripted test server) which agent is calling. */
export const AGENT_HEADER = 'x-durable-handoff-agent';

/**
 * The Chat Completions parameters for a request.
 *
 * @param request - the provider-neutral request.
 * @param defaultModel - the configured model (for Azure OpenAI, the deployment), used unless the
 *   request names one.
 */
export function toChatCompletionParams(
  request: ModelRequest,
  defaultModel: string,
): ChatCompletionCreateParamsNonStreaming {
  const messages: ChatCompletionMessageParam[] = [];
  if (request.instructions.trim() !== '') messages.push({ role: 'system', content: request.instructions });
  for (const message of request.messages) messages.push(toChatMessage(message));

  const params: ChatCompletionCreateParamsNonStreaming = { model: request.model ?? defaultModel, messages };
  if (request.tools.length > 0) {
    params.tools = request.tools.map(toFunctionTool);
    // Servers reject parallel_tool_calls without tools, so it is only sent alongside them.
    if (request.parallelToolCalls !== undefined) params.parallel_tool_calls = request.parallelToolCalls;
  }
  return params;
}

/**
 * The header value carrying an agent name. Header values must be Latin-1, so names are
 * percent-encoded (a no-op for the usual `[A-Za-z0-9_-]` names); readers decode with
 * `decodeURIComponent`.
 */
export function agentHeaderValue(agentName: string): string {
  return encodeURIComponent(agentName);
}

function toChatMessage(message: TranscriptMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'user':
      return { role: 'user', content: message.text };
    case 'assistant': {
      const toolCalls = message.toolCalls ?? [];
      if (toolCalls.length === 0) return { role: 'assistant', content: message.text };
      return {
        role: 'assistant',
        // Some servers reject an empty string next to tool calls; null is what OpenAI itself sends.
        content: message.text === '' ? null : message.text,
        tool_calls: toolCalls.map((call) => ({
          id: call.id,
          type: 'function' as const,
          function: { name: call.name, arguments: call.arguments },
        })),
      };
    }
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.text };
  }
}

function toFunctionTool(tool: ToolSpec): ChatCompletionTool {
  return {
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  };
}
