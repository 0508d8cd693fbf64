import type { WorkflowEvent } from '../core/events';
import { USER_AUTHOR, type ConversationMessage } from '../core/messages';

/**
 * The clean conversation as the stored events tell it: the `output` event's once the run has one,
 * else the user messages and agent responses so far, in order.
 */
export function conversationFromEvents(events: readonly WorkflowEvent[]): ConversationMessage[] {
  const output = events.find((event) => event.type === 'output');
  if (output?.type === 'output') return output.conversation;
  const conversation: ConversationMessage[] = [];
  for (const event of events) {
    if (event.type === 'user_message') {
      conversation.push({
        role: 'user',
        authorName: USER_AUTHOR,
        text: event.text,
        ...(event.synthetic ? { synthetic: true } : {}),
      });
    } else if (event.type === 'agent_response') {
      conversation.push({ role: 'assistant', authorName: event.agent, text: event.text });
    }
  }
  return conversation;
}
