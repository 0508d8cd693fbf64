import type { WorkflowEvent } from '../../core/events';
import type { TranscriptMessage } from '../../core/messages';

/**
 * The transcript messages of the `user_message` events among `events`, in order. Every user message
 * (initial, reply, autonomous prompt) enters the run as such an event, so whichever activity stores
 * the event also stores the message, at the position the orchestrator hands it: the message crosses
 * into history once, inside its event.
 */
export function userMessagesOf(events: readonly WorkflowEvent[]): TranscriptMessage[] {
  return events.flatMap((event): TranscriptMessage[] =>
    event.type === 'user_message'
      ? [{ role: 'user', text: event.text, ...(event.synthetic ? { synthetic: true } : {}) }]
      : [],
  );
}
