/**
 * The part of a Chat Completions request body the scripted server reads. Everything else a client
 * sends is kept (loose objects) so tests can assert on it.
 */
import { z } from 'zod';

/** Message content: a string, or content parts of which the text parts are read. */
const ContentSchema = z.union([
  z.string(),
  z.array(z.looseObject({ type: z.string(), text: z.string().optional() })),
]);

/** One message of a request. */
export const ChatRequestMessageSchema = z.looseObject({
  role: z.string(),
  content: ContentSchema.nullish(),
  name: z.string().optional(),
  tool_call_id: z.string().optional(),
  tool_calls: z
    .array(
      z.looseObject({
        id: z.string(),
        type: z.string().optional(),
        function: z.looseObject({ name: z.string(), arguments: z.string() }).optional(),
      }),
    )
    .optional(),
});
/** One message of a request, as parsed. */
export type ChatRequestMessage = z.infer<typeof ChatRequestMessageSchema>;

/** A tool offered in a request (`function` tools, and `custom` ones by name). */
export const ChatRequestToolSchema = z.looseObject({
  type: z.string(),
  function: z.looseObject({ name: z.string() }).optional(),
  custom: z.looseObject({ name: z.string() }).optional(),
});

/** A Chat Completions request body. */
export const ChatRequestBodySchema = z.looseObject({
  model: z.string().optional(),
  messages: z.array(ChatRequestMessageSchema),
  tools: z.array(ChatRequestToolSchema).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
});
/** A request body, as parsed (fields the server does not read are kept). */
export type ChatRequestBody = z.infer<typeof ChatRequestBodySchema>;

/** The text of a message's content (text parts joined), or `undefined` when it has none. */
export function contentText(message: ChatRequestMessage): string | undefined {
  const content = message.content;
  if (content === null || content === undefined) return undefined;
  if (typeof content === 'string') return content;
  return content.map((part) => part.text ?? '').join('');
}

/** Names of the tools a request offers, in order. */
export function toolNames(body: ChatRequestBody): string[] {
  return (body.tools ?? []).flatMap((tool) => {
    const name = tool.function?.name ?? tool.custom?.name;
    return name === undefined ? [] : [name];
  });
}

/**
 * What OpenAI-compatible providers refuse about tool-call pairing, if anything: a `tool` message
 * must answer a call of the assistant message right before it (other results in between), and an
 * assistant message's calls must all be answered before the next message that is not a result.
 */
export function toolPairingProblem(messages: readonly ChatRequestMessage[]): string | undefined {
  let open: string[] = [];
  for (const [index, message] of messages.entries()) {
    if (message.role === 'tool') {
      if (!open.includes(message.tool_call_id ?? '')) {
        return `messages.${index}: a 'tool' message must answer a tool call of the assistant message before it ('${message.tool_call_id ?? ''}' does not)`;
      }
      open = open.filter((id) => id !== message.tool_call_id);
      continue;
    }
    if (open.length > 0) {
      return `messages.${index}: the tool calls ${open.map((id) => `'${id}'`).join(', ')} of an earlier assistant message have no tool message answering them`;
    }
    open = message.role === 'assistant' ? (message.tool_calls ?? []).map((call) => call.id) : [];
  }
  return open.length > 0
    ? `the tool calls ${open.map((id) => `'${id}'`).join(', ')} of the last assistant message have no tool message answering them`
    : undefined;
}

/** Parses a request body, or says what is wrong with it. */
export function parseChatRequest(
  text: string,
): { ok: true; value: ChatRequestBody } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'the body is not JSON' };
  }
  const parsed = ChatRequestBodySchema.safeParse(json);
  if (parsed.success) {
    const pairing = toolPairingProblem(parsed.data.messages);
    return pairing === undefined ? { ok: true, value: parsed.data } : { ok: false, problem: pairing };
  }
  const issue = parsed.error.issues[0]!;
  return { ok: false, problem: `${issue.path.join('.') || 'body'}: ${issue.message}` };
}
