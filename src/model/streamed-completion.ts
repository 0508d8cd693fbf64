/**
 * Reads a Chat Completions answer that was asked for with `stream: true`: the text is handed on as
 * it arrives, and the whole answer is assembled into the body a non-streaming call returns.
 *
 * A server or proxy that answers with JSON instead of a stream gives the whole answer at once. A
 * stream that breaks off (connection lost, nothing for the call's timeout, no end) fails the call
 * as retryable: the durable layer retries the attempt, whose preview starts again.
 */
import { createParser } from 'eventsource-parser';
import { ModelCallError } from '../core/errors';
import { ChatCompletionAssembler, checkChunk, type ChatCompletionChunk } from './chat-completion-chunks';
import type { ChatCompletionBody } from './chat-completion-response';
import { takeAnswerBody, type AnswerBody } from './keep-alive-fetch';

/** How a streamed answer is read. */
export interface StreamedCompletionOptions {
  /** Who answers, for messages (a model description; never a secret). */
  model: string;
  /** Receives the answer's text piece by piece. */
  onTextDelta: (delta: string) => void;
  /** The longest wait for the next piece before the call counts as timed out. */
  idleTimeoutMs: number;
  /** Aborts the HTTP exchange (the body read with it). */
  abort: AbortController;
  /** The caller's signal: its abort is reported as such, not as a timeout. */
  signal?: AbortSignal | undefined;
  /** Removes secrets from text a server sent. */
  scrub: (text: string) => string;
}

/**
 * An answer's body: a stream assembled from checked chunks (`checked`), or JSON as received, still
 * to be checked (`json`).
 */
export type CompletionBody = { checked: ChatCompletionBody } | { json: unknown };

/** The answer's body: JSON parsed, or a stream assembled. */
export async function readCompletionBody(
  response: Response,
  options: StreamedCompletionOptions,
): Promise<CompletionBody> {
  const type = response.headers.get('content-type') ?? '';
  const stream = type.includes('text/event-stream');
  // The keep-alive fetch's answers are read from Node's stream, any other through its web stream.
  const answer = stream ? takeAnswerBody(response) : undefined;
  if (answer !== undefined || (stream && response.body !== null)) {
    const assembler = new ChatCompletionAssembler();
    const onData = (data: string): void => {
      const text = assembler.add(parseChunk(data, options));
      if (text !== '') options.onTextDelta(text);
    };
    const ended = await (answer !== undefined
      ? readAnswerData(answer, options, onData)
      : readStreamData(response.body!, options, onData));
    if (!ended && !assembler.finished) {
      throw new ModelCallError(
        'connection_error',
        `The answer of ${options.model} ended before it was complete (no finish reason, no [DONE]). It will be retried.`,
      );
    }
    const checked = assembler.checkedBody();
    return checked === undefined ? { json: assembler.body() } : { checked };
  }
  // Not a stream: a server or proxy that ignores `stream: true` sends the whole answer as JSON.
  const text = await withReadErrors(response.text(), options);
  try {
    return { json: JSON.parse(text) as unknown };
  } catch {
    throw new ModelCallError(
      'server_error',
      `${options.model} answered '${type || 'no content type'}' that is neither a Chat Completions stream nor JSON: ${options.scrub(text.slice(0, 120))}`,
    );
  }
}

/** The SSE parser of a stream: each event's data, trimmed, to `onData`, until `[DONE]`. */
function dataParser(onData: (data: string) => void): { feed(text: string): void; readonly done: boolean } {
  let done = false;
  const parser = createParser({
    onEvent: ({ data }) => {
      if (done) return;
      const trimmed = data.trim();
      if (trimmed === '[DONE]') done = true;
      else onData(trimmed);
    },
  });
  return {
    feed: (text) => parser.feed(text),
    get done() {
      return done;
    },
  };
}

/**
 * {@link readStreamData} on the bytes of a keep-alive fetch's answer, as Node's stream delivers them
 * (no web stream, no promise per read): the same events, the same end, failures and cancel.
 */
async function readAnswerData(
  answer: AnswerBody,
  options: StreamedCompletionOptions,
  onData: (data: string) => void,
): Promise<boolean> {
  const parser = dataParser(onData);
  const decoder = new TextDecoder('utf-8');
  const idle = new IdleTimer(options.idleTimeoutMs, () => options.abort.abort());
  idle.arm();
  const outcome = await new Promise<{ done: boolean } | { thrown: unknown } | { failed: unknown }>(
    (resolve) => {
      answer.each(
        (chunk) => {
          try {
            parser.feed(decoder.decode(chunk, { stream: true }));
          } catch (error) {
            answer.cancel();
            resolve({ thrown: error });
            return;
          }
          if (parser.done) {
            // Stopped before the end: release the connection.
            answer.cancel();
            resolve({ done: true });
          } else idle.arm();
        },
        () => {
          try {
            parser.feed(decoder.decode());
            resolve({ done: parser.done });
          } catch (error) {
            resolve({ thrown: error });
          }
        },
        (error) => resolve({ failed: error }),
      );
    },
  );
  idle.stop();
  if ('thrown' in outcome) throw outcome.thrown;
  if ('failed' in outcome) throw readFailure(outcome.failed, options, idle);
  return outcome.done;
}

/**
 * Hands the data of each SSE event to `onData` as it arrives, up to `data: [DONE]`; true when the
 * stream said `[DONE]`, false when it ended without. Read failures become {@link ModelCallError}s.
 *
 * The events of each network read are handled in one go (the parser calls back synchronously), so
 * a stream of dozens of small chunks costs one await per read, not several per event. Bytes are
 * decoded as streaming UTF-8; an event the stream ends in the middle of is never delivered.
 * Stopping early (at `[DONE]` or a failure) cancels the body.
 */
async function readStreamData(
  body: ReadableStream<Uint8Array>,
  options: StreamedCompletionOptions,
  onData: (data: string) => void,
): Promise<boolean> {
  const parser = dataParser(onData);
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  const idle = new IdleTimer(options.idleTimeoutMs, () => options.abort.abort());
  let read = false;
  try {
    while (!parser.done) {
      idle.arm();
      const chunk = await withReadErrors(reader.read(), options, idle);
      if (chunk.done) {
        read = true;
        parser.feed(decoder.decode());
        break;
      }
      parser.feed(decoder.decode(chunk.value, { stream: true }));
    }
    return parser.done;
  } finally {
    idle.stop();
    // Stopped before the end (or reading failed): release the connection. Cancelling an already
    // failed body rejects, and there is nothing left to do about it.
    if (!read) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

function parseChunk(data: string, options: StreamedCompletionOptions): ChatCompletionChunk {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    throw new ModelCallError(
      'server_error',
      `${options.model} sent a stream chunk that is not JSON: ${options.scrub(data.slice(0, 120))}`,
    );
  }
  const error = (json as { error?: unknown } | null)?.error;
  if (error) throw streamError(error, options);
  const chunk = checkChunk(json);
  if (chunk === undefined) {
    throw new ModelCallError(
      'server_error',
      `${options.model} sent a malformed stream chunk: ${options.scrub(data.slice(0, 120))}`,
    );
  }
  return chunk;
}

/** An error a server reports inside a stream (`data: {"error": {...}}`), as its HTTP answer would be read. */
function streamError(error: unknown, options: StreamedCompletionOptions): ModelCallError {
  const field = (value: unknown, key: string): unknown =>
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  const code = field(error, 'code');
  const message = field(error, 'message');
  const said = `${options.model} reported an error in its answer stream${
    typeof message === 'string' ? `: ${options.scrub(message).replace(/[.\s]+$/, '')}` : ''
  }`;
  if (
    code === 'content_filter' ||
    code === 'content_policy_violation' ||
    field(field(error, 'innererror'), 'code') === 'ResponsibleAIPolicyViolation'
  ) {
    return new ModelCallError(
      'content_filter',
      `${said}. The content filter blocked the answer; rephrase the input.`,
    );
  }
  return new ModelCallError('server_error', `${said}. It will be retried.`);
}

/** Awaits a read of the answer, reporting an abort, a timeout or a broken connection for what it is. */
async function withReadErrors<T>(
  read: Promise<T>,
  options: StreamedCompletionOptions,
  idle?: IdleTimer,
): Promise<T> {
  try {
    return await read;
  } catch (error) {
    throw readFailure(error, options, idle);
  }
}

/** A failed read of the answer as the error to report: an abort, a timeout or a broken connection. */
function readFailure(error: unknown, options: StreamedCompletionOptions, idle?: IdleTimer): unknown {
  if (error instanceof ModelCallError) return error;
  if (options.signal?.aborted) {
    return new ModelCallError(
      'timeout',
      `The call to ${options.model} was aborted by the caller before it answered.`,
      {
        cause: error,
      },
    );
  }
  if (idle?.fired) {
    return new ModelCallError(
      'timeout',
      `${options.model} sent nothing for ${options.idleTimeoutMs} ms in the middle of its answer (MODEL_TIMEOUT_MS). It will be retried.`,
      { cause: error },
    );
  }
  const reason =
    error instanceof Error
      ? error.cause instanceof Error
        ? error.cause.message
        : error.message
      : String(error);
  return new ModelCallError(
    'connection_error',
    `The answer of ${options.model} broke off: ${options.scrub(reason)}. It will be retried.`,
    { cause: error },
  );
}

/** Calls `onIdle` when `arm()` is not called again within `ms`. */
class IdleTimer {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #fired = false;

  constructor(
    readonly ms: number,
    readonly onIdle: () => void,
  ) {}

  get fired(): boolean {
    return this.#fired;
  }

  arm(): void {
    // One timer per stream, pushed back at each read (a new timer per read costs more).
    if (this.#timer !== undefined) {
      this.#timer.refresh();
      return;
    }
    this.#timer = setTimeout(() => {
      this.#fired = true;
      this.onIdle();
    }, this.ms);
  }

  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
