import type { WorkflowEvent } from '../core/events';
import type { ConversationMessage } from '../core/messages';

/** A message of the API's clean conversation. */
export interface ApiConversationMessage {
  role: 'user' | 'assistant';
  author: string;
  text: string;
  synthetic?: boolean;
}

/** The API shape of a clean conversation message. */
export function toApiMessage(message: ConversationMessage): ApiConversationMessage {
  return {
    role: message.role,
    author: message.authorName,
    text: message.text,
    ...(message.synthetic ? { synthetic: true } : {}),
  };
}

/** The clean conversation as the stored events tell it (user messages and agent responses, in order). */
export function conversationFromEvents(events: readonly WorkflowEvent[]): ApiConversationMessage[] {
  const output = events.find((event) => event.type === 'output');
  if (output?.type === 'output') return output.conversation.map(toApiMessage);
  const conversation: ApiConversationMessage[] = [];
  for (const event of events) {
    if (event.type === 'user_message') {
      conversation.push({
        role: 'user',
        author: 'user',
        text: event.text,
        ...(event.synthetic ? { synthetic: true } : {}),
      });
    } else if (event.type === 'agent_response') {
      conversation.push({ role: 'assistant', author: event.agent, text: event.text });
    }
  }
  return conversation;
}
