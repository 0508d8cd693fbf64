/**
 * A Chat Completions response to a {@link ModelResponse}: the first choice's message, with tool calls
 * and their raw argument text left exactly as the model produced them (the turn loop decides what
 * to do with malformed arguments or unknown tools).
 *
 * The body is checked with zod first: "OpenAI-compatible" servers differ in what they leave out.
 */
import { z } from 'zod';
import { ModelCallError } from '../core/errors';
import type { ToolCall } from '../core/messages';
import type { ModelResponse, TokenUsage } from '../core/model';

const count = z.number().int().nonnegative().nullish();

const ToolCallBodySchema = z
  .object({
    id: z.string().nullish(),
    type: z.string().nullish(),
    function: z.object({ name: z.string().min(1), arguments: z.string().nullish() }).optional(),
    custom: z.object({ name: z.string().min(1), input: z.string() }).optional(),
  })
  .refine((call) => call.function !== undefined || call.custom !== undefined, {
    error: 'a tool call has neither `function` nor `custom`',
  });

/** The part of a Chat Completions response body that is used. */
export const ChatCompletionBodySchema = z.object({
  id: z.string().nullish(),
  choices: z.array(
    z.object({
      message: z.object({
        content: z.string().nullish(),
        tool_calls: z.array(ToolCallBodySchema).nullish(),
      }),
      finish_reason: z.string().nullish(),
    }),
  ),
  usage: z.object({ prompt_tokens: count, completion_tokens: count, total_tokens: count }).nullish(),
});

/** A Chat Completions body that passed {@link ChatCompletionBodySchema}. */
export type ChatCompletionBody = z.infer<typeof ChatCompletionBodySchema>;

/**
 * Maps a completion body to a response of `agentName`.
 *
 * @param body - the parsed JSON body, as received.
 * @param model - who answered, for error messages.
 * @param fallbackId - the completion id to use when the server sent none.
 * @throws {@link ModelCallError} `content_filter` when the model stopped for the content filter, and
 *   `server_error` when the body is not a Chat Completions response or has no choice.
 */
export function fromChatCompletion(
  body: unknown,
  agentName: string,
  model: string,
  fallbackId: string,
): ModelResponse {
  const parsed = ChatCompletionBodySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : ` (${issue.path.join('.') || 'body'}: ${issue.message})`;
    throw new ModelCallError(
      'server_error',
      `${model} answered with a malformed Chat Completions body${where}.`,
    );
  }
  return fromCompletionBody(parsed.data, agentName, model, fallbackId);
}

/**
 * {@link fromChatCompletion} for a body already checked (one assembled from checked stream chunks).
 *
 * @throws {@link ModelCallError} `content_filter` when the model stopped for the content filter, and
 *   `server_error` when the completion has no choice.
 */
export function fromCompletionBody(
  completion: ChatCompletionBody,
  agentName: string,
  model: string,
  fallbackId: string,
): ModelResponse {
  const id = completion.id ?? fallbackId;
  const choice = completion.choices[0];
  if (choice === undefined) {
    throw new ModelCallError('server_error', `${model} returned a completion with no choices (id ${id}).`);
  }
  if (choice.finish_reason === 'content_filter') {
    throw new ModelCallError(
      'content_filter',
      `${model} stopped its answer for the content filter (completion ${id}); rephrase the input.`,
    );
  }
  const toolCalls = (choice.message.tool_calls ?? []).map((call, index) => toToolCall(call, id, index));
  return {
    id,
    message: {
      role: 'assistant',
      authorName: agentName,
      text: choice.message.content ?? '',
      ...(toolCalls.length > 0 ? { toolCalls } : {}),
    },
    usage: toUsage(completion.usage),
    // Some compatible servers omit finish_reason; infer the obvious one rather than invent another.
    finishReason: choice.finish_reason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
  };
}

function toToolCall(call: z.infer<typeof ToolCallBodySchema>, completionId: string, index: number): ToolCall {
  // Some local servers leave the id empty; the tool result must still answer a unique id.
  const id = call.id ? call.id : `call_${completionId}_${index}`;
  if (call.function !== undefined) {
    return { id, name: call.function.name, arguments: call.function.arguments ?? '' };
  }
  // The schema guarantees one of the two.
  const custom = call.custom!;
  return { id, name: custom.name, arguments: custom.input };
}

function toUsage(usage: z.infer<typeof ChatCompletionBodySchema>['usage']): TokenUsage {
  const promptTokens = usage?.prompt_tokens ?? 0;
  const completionTokens = usage?.completion_tokens ?? 0;
  return {
    promptTokens,
    completionTokens,
    totalTokens: usage?.total_tokens ?? promptTokens + completionTokens,
    requests: 1,
  };
}
