/**
 * A completion as Chat Completions stream chunks (`object: "chat.completion.chunk"`), in OpenAI's
 * order: a role chunk, content deltas, for each tool call a chunk with its index, id and name and
 * then argument pieces, a finish chunk, and (with `stream_options.include_usage`) a usage chunk with
 * no choices. The caller sends each as an SSE `data:` event and ends with `data: [DONE]`.
 */
import type { CompletionPlan } from './completion-plan';

/** Pieces of tool-call arguments are at most this long, so clients must concatenate them. */
const ARGUMENT_PIECE = 16;

/** The chunks of a streamed completion. */
export function completionChunks(plan: CompletionPlan, includeUsage: boolean): Record<string, unknown>[] {
  const chunk = (
    delta: Record<string, unknown>,
    finishReason: string | null = null,
  ): Record<string, unknown> => ({
    id: plan.id,
    object: 'chat.completion.chunk',
    created: plan.created,
    model: plan.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage ? { usage: null } : {}),
  });

  const chunks = [chunk({ role: 'assistant', content: '', refusal: null })];
  for (const piece of textPieces(plan.text ?? '')) chunks.push(chunk({ content: piece }));
  plan.toolCalls.forEach((call, index) => {
    chunks.push(
      chunk({
        tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }],
      }),
    );
    for (let at = 0; at < call.arguments.length; at += ARGUMENT_PIECE) {
      const piece = call.arguments.slice(at, at + ARGUMENT_PIECE);
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  chunks.push(chunk({}, plan.finishReason));
  if (includeUsage) {
    chunks.push({
      id: plan.id,
      object: 'chat.completion.chunk',
      created: plan.created,
      model: plan.model,
      choices: [],
      usage: plan.usage,
    });
  }
  return chunks;
}

/** Word-sized pieces whose concatenation is exactly `text` (whitespace stays with the word after it). */
function textPieces(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\S)(?=\s)/);
}
