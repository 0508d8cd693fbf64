/**
 * Messages as the GenAI conventions record them (`gen_ai.input.messages`, `gen_ai.output.messages`):
 * only when the app opts in (`OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`), and with
 * key- and token-shaped strings scrubbed, since a customer may paste one into a chat.
 */
import type { AssistantMessage, TranscriptMessage } from '../core/messages';
import { redactSecrets } from '../model/redact-secrets';

type Part =
  | { type: 'text'; content: string }
  | { type: 'tool_call'; id: string; name: string; arguments: string }
  | { type: 'tool_call_response'; id: string; response: string };

function partsOf(message: TranscriptMessage): Part[] {
  switch (message.role) {
    case 'user':
      return [{ type: 'text', content: redactSecrets(message.text) }];
    case 'tool':
      return [{ type: 'tool_call_response', id: message.toolCallId, response: redactSecrets(message.text) }];
    case 'assistant':
      return [
        ...(message.text === '' ? [] : [{ type: 'text' as const, content: redactSecrets(message.text) }]),
        ...(message.toolCalls ?? []).map((call): Part => ({
          type: 'tool_call',
          id: call.id,
          name: call.name,
          arguments: redactSecrets(call.arguments),
        })),
      ];
  }
}

/** The JSON of `messages` in the conventions' message shape (role and parts). */
export function inputMessagesJson(messages: readonly TranscriptMessage[]): string {
  return JSON.stringify(messages.map((message) => ({ role: message.role, parts: partsOf(message) })));
}

/** The JSON of one response in the conventions' output shape (with its finish reason). */
export function outputMessagesJson(message: AssistantMessage, finishReason: string): string {
  return JSON.stringify([{ role: 'assistant', parts: partsOf(message), finish_reason: finishReason }]);
}

/** Text kept as an attribute (a tool's arguments or result), scrubbed. */
export function contentText(text: string): string {
  return redactSecrets(text);
}
