/**
 * Assembles Chat Completions stream chunks (`chat.completion.chunk`) into the body a non-streaming
 * call would have returned, so a streamed answer goes through the same reading
 * (`fromChatCompletion`): same message, same tool calls, same content-filter and usage handling.
 *
 * Chunks are checked with zod, leniently: "OpenAI-compatible" servers differ in what they leave
 * out (tool-call indexes, ids after the first piece, `delta` in content-filter chunks). An answer
 * streams as dozens of chunks, so they are read by hand first (the schema's fields, each of its
 * type, the others dropped as the schema drops them), and anything else goes to the schema, which
 * decides and words the error.
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

/** Thrown (and caught) when a chunk is not of the usual shape: the schema decides then. */
const UNUSUAL = new Error('A stream chunk of an unusual shape.');

function object(value: unknown): Json {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Json;
  throw UNUSUAL;
}

function list(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  throw UNUSUAL;
}

function text(value: unknown): string | null | undefined {
  if (value === undefined || value === null || typeof value === 'string') return value;
  throw UNUSUAL;
}

function countOf(value: unknown): number | null | undefined {
  if (value === undefined || value === null) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw UNUSUAL;
}

/** Sets `key` when the input had it: the schema leaves absent keys absent. */
function put(out: Json, key: string, value: unknown): void {
  if (value !== undefined) out[key] = value;
}

/** `value` checked, with its nullish fields read by `read`: `null` stays `null`, absent stays absent. */
function nullish<T>(value: unknown, read: (value: unknown) => T): T | null | undefined {
  return value === undefined || value === null ? value : read(value);
}

function toolCallDelta(value: unknown): Json {
  const call = object(value);
  const out: Json = {};
  put(out, 'index', countOf(call.index));
  put(out, 'id', text(call.id));
  put(out, 'type', text(call.type));
  put(
    out,
    'function',
    nullish(call.function, (fn) => {
      const { name, arguments: args } = object(fn);
      const picked: Json = {};
      put(picked, 'name', text(name));
      put(picked, 'arguments', text(args));
      return picked;
    }),
  );
  return out;
}

function choice(value: unknown): Json {
  const { index, delta, finish_reason: finishReason } = object(value);
  const out: Json = {};
  put(out, 'index', countOf(index));
  put(
    out,
    'delta',
    nullish(delta, (d) => {
      const { content, tool_calls: toolCalls } = object(d);
      const picked: Json = {};
      put(picked, 'content', text(content));
      put(
        picked,
        'tool_calls',
        nullish(toolCalls, (calls) => list(calls).map(toolCallDelta)),
      );
      return picked;
    }),
  );
  put(out, 'finish_reason', text(finishReason));
  return out;
}

function usage(value: unknown): Json {
  const { prompt_tokens: prompt, completion_tokens: completion, total_tokens: total } = object(value);
  const out: Json = {};
  put(out, 'prompt_tokens', countOf(prompt));
  put(out, 'completion_tokens', countOf(completion));
  put(out, 'total_tokens', countOf(total));
  return out;
}

/** The chunk as the schema returns it (its fields only), read by hand; throws {@link UNUSUAL} otherwise. */
function usualChunk(value: unknown): ChatCompletionChunk {
  const chunk = object(value);
  const out: Json = {};
  put(out, 'id', text(chunk.id));
  put(
    out,
    'choices',
    nullish(chunk.choices, (choices) => list(choices).map(choice)),
  );
  put(out, 'usage', nullish(chunk.usage, usage));
  return out;
}

/** A parsed stream chunk checked against {@link ChatCompletionChunkSchema}; `undefined` when it does not fit. */
export function checkChunk(value: unknown): ChatCompletionChunk | undefined {
  try {
    return usualChunk(value);
  } catch (error) {
    if (error !== UNUSUAL) throw error;
  }
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
