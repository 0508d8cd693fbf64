/**
 * Reads a run's event stream over real HTTP as the wire carries it: each SSE message with its `id:`
 * line (if any) and its parsed data, until a message the caller names or the server ends the stream.
 */
import { readSse } from '../../src/client/read-sse';

/** One SSE message of the events stream. */
export interface SseMessage {
  /** The `id:` line; durable events have one, answer previews do not. */
  id: string | undefined;
  data: { type: string; [field: string]: unknown };
  /** When the message arrived (ms since the epoch, sub-millisecond precision). */
  receivedAt: number;
}

/** An answer preview message's data. */
export interface DeltaData {
  type: 'agent_response_delta';
  agent: string;
  turn: number;
  attempt: number;
  delta: string;
}

/** Opens `eventsUri` as SSE with the run's token and collects its messages until `until` (default: `output`). */
export async function collectSse(
  eventsUri: string,
  token: string,
  options: {
    signal?: AbortSignal;
    onMessage?: (message: SseMessage) => void;
    until?: (message: SseMessage) => boolean;
  } = {},
): Promise<SseMessage[]> {
  const until = options.until ?? ((message: SseMessage) => message.data.type === 'output');
  const response = await fetch(eventsUri, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!response.ok || response.body === null) {
    throw new Error(`GET ${eventsUri} answered ${response.status}: ${await response.text()}`);
  }
  const messages: SseMessage[] = [];
  for await (const message of readSse(response.body)) {
    const parsed: SseMessage = {
      id: message.id,
      data: JSON.parse(message.data) as SseMessage['data'],
      receivedAt: performance.timeOrigin + performance.now(),
    };
    messages.push(parsed);
    options.onMessage?.(parsed);
    if (until(parsed)) break;
  }
  return messages;
}

/** The answer previews among `messages`. */
export function deltasOf(messages: readonly SseMessage[]): DeltaData[] {
  return messages
    .filter((message) => message.data.type === 'agent_response_delta')
    .map((message) => message.data as unknown as DeltaData);
}
