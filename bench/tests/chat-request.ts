/**
 * Sends Chat Completions requests over HTTP the way the frameworks do, for the bench's tests.
 */

/** A tool offered in a request. */
export function functionTool(name: string) {
  return { type: 'function', function: { name, parameters: { type: 'object', properties: {} } } };
}

/** What the tests read from a completion (or an error). */
export interface ChatAnswer {
  status: number;
  text: string | null;
  toolCalls: string[];
  errorMessage: string | undefined;
}

/** Posts a Chat Completions request to `baseUrl` and reads the answer. */
export async function postChat(
  baseUrl: string,
  body: { messages: { role: string; content: string }[]; tools?: unknown[] },
  headers: Record<string, string> = {},
): Promise<ChatAnswer> {
  const response = await fetch(`${baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer test', ...headers },
    body: JSON.stringify({ model: 'scripted-model', ...body }),
  });
  const json = (await response.json()) as {
    choices?: { message: { content: string | null; tool_calls?: { function: { name: string } }[] } }[];
    error?: { message: string };
  };
  const message = json.choices?.[0]?.message;
  return {
    status: response.status,
    text: message?.content ?? null,
    toolCalls: (message?.tool_calls ?? []).map((call) => call.function.name),
    errorMessage: json.error?.message,
  };
}
