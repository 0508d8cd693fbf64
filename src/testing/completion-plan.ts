/**
 * One scripted completion, resolved: ids assigned, arguments serialized, usage counted. Rendered
 * as a JSON body (`completion-json.ts`) or as SSE chunks (`completion-stream.ts`).
 */
import { randomBytes } from 'node:crypto';
import type { MessageReply, ScriptedRequestView } from './script-types';

/** A completion ready to be rendered. */
export interface CompletionPlan {
  id: string;
  /** Unix seconds. */
  created: number;
  model: string;
  text: string | undefined;
  toolCalls: { id: string; name: string; arguments: string }[];
  finishReason: string;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

/** Model name echoed when the request names none. */
export const DEFAULT_SCRIPTED_MODEL = 'scripted-model';

/**
 * A completion id: the server's counter keeps ids apart within a server, the random part across
 * servers and restarts. Some clients merge messages that share an id.
 */
export function completionId(counter: number): string {
  return `chatcmpl-scripted-${counter}-${randomBytes(4).toString('hex')}`;
}

/** Resolves a message reply for a request, under completion id `id`. */
export function planCompletion(
  reply: MessageReply,
  request: ScriptedRequestView,
  id: string,
): CompletionPlan {
  const toolCalls = (reply.toolCalls ?? []).map((call) => ({
    id: call.id ?? `call_${randomBytes(8).toString('hex')}`,
    name: call.name,
    arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {}),
  }));
  const completionChars =
    (reply.text ?? '').length + toolCalls.reduce((n, c) => n + c.name.length + c.arguments.length, 0);
  const promptTokens = approximateTokens(JSON.stringify(request.body.messages).length);
  const completionTokens = approximateTokens(completionChars);
  return {
    id,
    created: Math.floor(Date.now() / 1000),
    model: request.model ?? DEFAULT_SCRIPTED_MODEL,
    text: reply.text,
    toolCalls,
    finishReason: reply.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
  };
}

/** About four characters per token, as OpenAI's rule of thumb; at least 1 for non-empty text. */
function approximateTokens(characters: number): number {
  return Math.ceil(characters / 4);
}
