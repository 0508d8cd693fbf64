/**
 * Assembles Chat Completions stream chunks (`chat.completion.chunk`) into the body a non-streaming
 * call would have returned, so a streamed answer goes through the same reading
 * (`fromChatCompletion`): same message, same tool calls, same content-filter and usage handling.
 *
 * Chunks are checked with zod, leniently: "OpenAI-compatible" servers differ in what they leave
 * out (tool-call indexes, ids after the first piece, `delta` in content-filter chunks).
 */
import { z } from 'zod';

const count = z.number().int().nonnegative().nullish();

const ToolCallDeltaSchema = z.object({
  index: z.number().int().nonnegative().nullish(),
  id: z.string().nullish(),
  type: z.string().nullish(),
  function: z.object({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
});

/** The part of a stream chunk that is used. */
export const ChatCompletionChunkSchema = z.object({
  id: z.string().nullish(),
  choices: z
    .array(
      z.object({
        index: z.number().int().nonnegative().nullish(),
        delta: z
          .object({
            content: z.string().nullish(),
            tool_calls: z.array(ToolCallDeltaSchema).nullish(),
          })
          .nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .nullish(),
  usage: z.object({ prompt_tokens: count, completion_tokens: count, total_tokens: count }).nullish(),
});
export type ChatCompletionChunk = z.infer<typeof ChatCompletionChunkSchema>;

interface ToolCallParts {
  id: string | undefined;
  name: string;
  arguments: string;
}

/** Collects the chunks of one streamed completion (its first choice; requests ask for one). */
export class ChatCompletionAssembler {
  #id: string | undefined;
  #content = '';
  #sawChoice = false;
  #finishReason: string | undefined;
  #usage: ChatCompletionChunk['usage'];
  readonly #toolCalls: ToolCallParts[] = [];

  /** True once a chunk carried a finish reason: the answer is whole. */
  get finished(): boolean {
    return this.#finishReason !== undefined;
  }

  /** Adds a chunk; returns the text it adds to the answer ('' when none). */
  add(chunk: ChatCompletionChunk): string {
    this.#id ??= chunk.id ?? undefined;
    if (chunk.usage) this.#usage = chunk.usage;
    let text = '';
    for (const choice of chunk.choices ?? []) {
      if ((choice.index ?? 0) !== 0) continue;
      this.#sawChoice = true;
      const content = choice.delta?.content;
      if (content) {
        this.#content += content;
        text += content;
      }
      for (const call of choice.delta?.tool_calls ?? []) this.#addToolCall(call);
      if (choice.finish_reason) this.#finishReason = choice.finish_reason;
    }
    return text;
  }

  /** The completion as a Chat Completions body (what `fromChatCompletion` reads). */
  body(): Record<string, unknown> {
    // `filter` also skips the holes a server's sparse indexes leave.
    const toolCalls = this.#toolCalls.filter(Boolean).map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
    return {
      id: this.#id,
      choices: this.#sawChoice
        ? [
            {
              message: {
                content: this.#content === '' && toolCalls.length > 0 ? null : this.#content,
                ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
              },
              finish_reason: this.#finishReason,
            },
          ]
        : [],
      usage: this.#usage,
    };
  }

  #addToolCall(delta: z.infer<typeof ToolCallDeltaSchema>): void {
    // A piece names its call by index; servers that send no index start a call with its id.
    const index =
      delta.index ??
      (delta.id || this.#toolCalls.length === 0 ? this.#toolCalls.length : this.#toolCalls.length - 1);
    const call = (this.#toolCalls[index] ??= { id: undefined, name: '', arguments: '' });
    call.id ||= delta.id ?? undefined;
    // OpenAI sends the name once; some servers repeat it with every piece, so it is taken once.
    if (call.name === '' && delta.function?.name) call.name = delta.function.name;
    call.arguments += delta.function?.arguments ?? '';
  }
}
