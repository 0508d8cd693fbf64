/**
 * Messages of a handoff run.
 *
 * Two views of one conversation:
 * - the **transcript** ({@link TranscriptMessage}): everything, including tool calls and tool results,
 *   exactly what agents sent and received. It is what model requests are built from.
 * - the **conversation** ({@link ConversationMessage}): the clean view users see and termination
 *   conditions read: user and assistant *text* messages with author names, no tool calls, in order.
 *
 * All types are JSON-only: they cross the orchestrator/activity boundary and HTTP unchanged.
 */
import { z } from 'zod';

/** Author name used for human (and synthetic) user messages in the clean conversation. */
export const USER_AUTHOR = 'user';

/** One function call requested by the model. `arguments` is the raw JSON text the model produced. */
export const ToolCallSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
});
export type ToolCall = z.infer<typeof ToolCallSchema>;

/** A user message: the human's text, or a synthetic prompt the workflow wrote (`synthetic: true`). */
export const UserMessageSchema = z.object({
  role: z.literal('user'),
  text: z.string(),
  synthetic: z.boolean().optional(),
});
export type UserMessage = z.infer<typeof UserMessageSchema>;

/** A message an agent produced: text, tool calls, or both. `authorName` is the agent's name. */
export const AssistantMessageSchema = z.object({
  role: z.literal('assistant'),
  authorName: z.string().min(1),
  text: z.string(),
  toolCalls: z.array(ToolCallSchema).optional(),
});
export type AssistantMessage = z.infer<typeof AssistantMessageSchema>;

/** The result of one tool call, answering the call with id `toolCallId`. `authorName` is the calling agent. */
export const ToolResultMessageSchema = z.object({
  role: z.literal('tool'),
  authorName: z.string().min(1),
  toolCallId: z.string().min(1),
  toolName: z.string().min(1),
  text: z.string(),
});
export type ToolResultMessage = z.infer<typeof ToolResultMessageSchema>;

/** Any message of the raw transcript. */
export const TranscriptMessageSchema = z.discriminatedUnion('role', [
  UserMessageSchema,
  AssistantMessageSchema,
  ToolResultMessageSchema,
]);
export type TranscriptMessage = z.infer<typeof TranscriptMessageSchema>;

/**
 * A message of the clean conversation, shaped like the Agent Framework's (`role`, `authorName`, `text`)
 * so that a Python `should_terminate(conversation)` ports as is.
 */
export const ConversationMessageSchema = z.object({
  role: z.enum(['user', 'assistant']),
  authorName: z.string().min(1),
  text: z.string(),
  synthetic: z.boolean().optional(),
});
export type ConversationMessage = z.infer<typeof ConversationMessageSchema>;

/**
 * The clean conversation of a transcript: user messages (synthetic ones included, flagged) and
 * assistant messages that carry text, in order. Tool calls, tool results and text-less assistant
 * messages (a pure handoff call) are left out.
 */
export function toConversation(transcript: readonly TranscriptMessage[]): ConversationMessage[] {
  const conversation: ConversationMessage[] = [];
  for (const message of transcript) {
    if (message.role === 'user') {
      conversation.push(
        message.synthetic
          ? { role: 'user', authorName: USER_AUTHOR, text: message.text, synthetic: true }
          : { role: 'user', authorName: USER_AUTHOR, text: message.text },
      );
    } else if (message.role === 'assistant' && message.text.trim() !== '') {
      conversation.push({ role: 'assistant', authorName: message.authorName, text: message.text });
    }
  }
  return conversation;
}
