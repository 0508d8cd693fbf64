/**
 * Assembles Chat Completions stream chunks (`chat.completion.chunk`) into the body a non-streaming
 * call would have returned, so a streamed answer goes through the same reading
 * (`fromChatCompletion`): same message, same tool calls, same content-filter and usage handling.
 *
 * Chunks are checked with zod, leniently: "OpenAI-compatible" servers differ in what they leave
 * out (tool-call indexes, ids after the first piece, `delta` in content-filter chunks). An answer
 * streams as dozens of chunks, so the usual shape is checked by hand first (a chunk of only the
 * schema's fields, each of its type), and anything else goes to the schema, which decides.
 */
import { z } from 'zod';
import type { ChatCompletionBody } from './chat-completion-response';

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

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNullish(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

function isText(value: unknown): boolean {
  return isNullish(value) || typeof value === 'string';
}

function isCount(value: unknown): boolean {
  return isNullish(value) || (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0);
}

/** True when `value` has no keys but `keys` (the schema would drop others, so they go to it). */
function hasOnly(value: Json, keys: readonly string[]): boolean {
  for (const key in value) if (!keys.includes(key)) return false;
  return true;
}

function isPlainToolCallDelta(value: unknown): boolean {
  if (!isObject(value) || !hasOnly(value, ['index', 'id', 'type', 'function'])) return false;
  const fn = value.function;
  return (
    isCount(value.index) &&
    isText(value.id) &&
    isText(value.type) &&
    (isNullish(fn) ||
      (isObject(fn) && hasOnly(fn, ['name', 'arguments']) && isText(fn.name) && isText(fn.arguments)))
  );
}

function isPlainChoice(value: unknown): boolean {
  if (!isObject(value) || !hasOnly(value, ['index', 'delta', 'finish_reason'])) return false;
  const delta = value.delta;
  if (!isCount(value.index) || !isText(value.finish_reason)) return false;
  if (isNullish(delta)) return true;
  if (!isObject(delta) || !hasOnly(delta, ['content', 'tool_calls']) || !isText(delta.content)) return false;
  const calls = delta.tool_calls;
  return isNullish(calls) || (Array.isArray(calls) && calls.every(isPlainToolCallDelta));
}

function isPlainUsage(value: unknown): boolean {
  return (
    isNullish(value) ||
    (isObject(value) &&
      hasOnly(value, ['prompt_tokens', 'completion_tokens', 'total_tokens']) &&
      isCount(value.prompt_tokens) &&
      isCount(value.completion_tokens) &&
      isCount(value.total_tokens))
  );
}

/** True when the chunk is of the schema's fields only, each valid: what the schema would return as is. */
function isPlainChunk(value: unknown): value is ChatCompletionChunk {
  if (!isObject(value) || !hasOnly(value, ['id', 'choices', 'usage'])) return false;
  const choices = value.choices;
  return (
    isText(value.id) &&
    (isNullish(choices) || (Array.isArray(choices) && choices.every(isPlainChoice))) &&
    isPlainUsage(value.usage)
  );
}

/** A parsed stream chunk checked against {@link ChatCompletionChunkSchema}; `undefined` when it does not fit. */
export function checkChunk(value: unknown): ChatCompletionChunk | undefined {
  if (isPlainChunk(value)) return value;
  const parsed = ChatCompletionChunkSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

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

  /**
   * The completion as a checked Chat Completions body (what `fromCompletionBody` reads), built from
   * checked chunks; `undefined` when a tool call never got its name, which the body's schema
   * refuses (read {@link body} through `fromChatCompletion` then, for its message).
   */
  checkedBody(): ChatCompletionBody | undefined {
    if (this.#toolCalls.some((call) => call !== undefined && call.name === '')) return undefined;
    return this.body() as ChatCompletionBody;
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
