/**
 * The scripted model of the long conversation: coordinator_agent hands off to shipping_agent,
 * which then answers every autonomous prompt with a status update of a fixed length, forever.
 * The answers avoid the sample workflow's resolution keywords and differ from turn to turn.
 */
import type { ScriptReply, ScriptResponder } from '../../../../src/testing';
import { BenchError } from '../../bench-error';

/** The agent that keeps answering. */
export const ANSWERING_AGENT = 'shipping_agent';
/** The customer message that starts the conversation. */
export const LONG_CONVERSATION_MESSAGE = 'Where is my order #12345? Please keep me posted.';

const UPDATE =
  'The carrier scanned the parcel for order #12345 at the regional sorting hub this morning. ' +
  'It is now on the van of the next delivery round, and the tracking page will show the new step ' +
  'within the hour. I am watching the tracking events and will post the next update as soon as ' +
  'the driver confirms the stop. ';

/** A status update of exactly `length` characters, numbered so that no two turns say the same. */
export function statusUpdate(number: number, length: number): string {
  let text = `Update ${number}: `;
  while (text.length < length) text += UPDATE;
  return text.slice(0, length);
}

/**
 * The responder: `handoff_to_shipping_agent` for coordinator_agent, a status update of
 * `answerLength` characters for shipping_agent; anything else fails the request.
 *
 * @example
 * ```ts
 * const model = await startScriptedModelServer({ responder: createLongConversationResponder(600) });
 * ```
 */
export function createLongConversationResponder(answerLength: number): ScriptResponder {
  return (request): ScriptReply => {
    if (request.agent === 'coordinator_agent') {
      const tool = `handoff_to_${ANSWERING_AGENT}`;
      if (!request.toolNames.includes(tool)) {
        throw new BenchError(
          'unexpected_model_call',
          `coordinator_agent was not offered ${tool}; tools offered: ${request.toolNames.join(', ') || 'none'}.`,
        );
      }
      return { toolCalls: [{ name: tool, arguments: {} }] };
    }
    if (request.agent === ANSWERING_AGENT) return { text: statusUpdate(request.index, answerLength) };
    throw new BenchError(
      'unexpected_model_call',
      `The long conversation only involves coordinator_agent and ${ANSWERING_AGENT}; request #${request.index} came from ${request.agent ?? 'no agent header'}.`,
    );
  };
}
