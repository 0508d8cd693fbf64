/**
 * Follows a run's Server-Sent Events stream to its `output` event, across dropped connections.
 */
import type { WorkflowEvent } from '../core/events';
import { AGENT_RESPONSE_DELTA, type AgentResponseDelta } from '../core/response-delta';
import { send, type ApiTransport } from './api-transport';
import { fetchEventsPage } from './events-page';
import { HandoffApiError } from './handoff-api-error';
import { parseStreamData } from './parse-event';
import { PreviewDeltas } from './preview-deltas';
import { readSse } from './read-sse';
import {
  abortableDelay,
  reconnectDelay,
  reconnectPolicy,
  type ReconnectOptions,
  type ReconnectPolicy,
} from './reconnect-policy';
import { isFinished } from '../core/events';
import { runPath, type RunRef } from './run-ref';

/** Options of `runStream` for a run that already exists. */
export interface FollowRunOptions {
  /** Start after this event `seq` (default 0: from the first event). */
  after?: number;
  /** Stops following: the iteration then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** How dropped connections are retried. */
  reconnect?: ReconnectOptions;
  /**
   * Told where the stream's connection stands, for a "reconnecting…" indicator: `connecting` before
   * the first stream opens, `live` once a stream is open, `reconnecting` after a failure while the
   * next attempt waits.
   */
  onConnection?: (state: ConnectionState) => void;
  /**
   * Also yield previews of answers while the model writes them (`agent_response_delta`), between
   * the events. Deltas of one `(agent, turn, attempt)` concatenate to the preview; a higher
   * `attempt` of a turn starts it again; the turn's `agent_response` event is the answer.
   */
  deltas?: boolean;
}

/** What a run's stream yields with `deltas: true`: its events, and previews of answers being written. */
export type RunStreamItem = WorkflowEvent | AgentResponseDelta;

/** Where a stream's connection stands (see {@link FollowRunOptions.onConnection}). */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

/** Where a stream stands: the last `seq` delivered, and consecutive failures. */
interface Cursor {
  seq: number;
  failures: number;
}

/**
 * Yields each event of the run once, in `seq` order, until the `output` event (or until the run is
 * over when it has none). The stream is the API's SSE endpoint; after a dropped connection or a
 * retryable error answer it reconnects with `Last-Event-ID` (the last `seq` delivered), backing off
 * exponentially, and gives up after `maxAttempts` failures in a row. Events a server sends again are
 * skipped by `seq`. When the server ends a stream (by default after 120 s), the JSON log is
 * read to see whether the run is over, and the stream is reopened if it is not.
 */
export async function* followRun(
  transport: ApiTransport,
  runSource: RunRef | Promise<RunRef>,
  options: FollowRunOptions = {},
): AsyncGenerator<RunStreamItem, void, undefined> {
  const policy = reconnectPolicy(options.reconnect);
  const inner = new AbortController();
  const outer = options.signal;
  const onAbort = () => inner.abort(outer?.reason);
  if (outer?.aborted) throw outer.reason;
  outer?.addEventListener('abort', onAbort, { once: true });
  const abortReason = (): unknown => outer?.reason ?? inner.signal.reason;
  try {
    const run = await runSource;
    const cursor: Cursor = { seq: options.after ?? 0, failures: 0 };
    const previews = new PreviewDeltas();
    for (;;) {
      try {
        const seqBefore = cursor.seq;
        options.onConnection?.(cursor.failures === 0 ? 'connecting' : 'reconnecting');
        const response = await openStream(transport, run, cursor.seq, inner.signal);
        options.onConnection?.('live');
        previews.reconnected();
        const request = `GET ${transport.apiUrl}${runPath(run, 'events')}`;
        for await (const message of readSse(response.body)) {
          const event = parseStreamData(message.data, request);
          if (event?.type === AGENT_RESPONSE_DELTA) {
            const delta = options.deltas ? previews.take(event) : undefined;
            if (delta) yield delta;
            continue;
          }
          if (!event || event.seq <= cursor.seq) continue;
          cursor.seq = event.seq;
          cursor.failures = 0;
          yield event;
          if (event.type === 'output') return;
        }
        // The server ended the stream: the run is over, or the stream reached its time limit.
        const page = await fetchEventsPage(transport, run, cursor.seq, inner.signal);
        for (const event of page.events) {
          if (event.seq <= cursor.seq) continue;
          cursor.seq = event.seq;
          cursor.failures = 0;
          yield event;
          if (event.type === 'output') return;
        }
        if (isFinished(page.state)) return;
        // A stream that ended with nothing new is not a failure (a long wait for the human), but
        // reopening it at once could spin: pause as after a first failure.
        if (cursor.seq === seqBefore) await abortableDelay(policy.initialDelayMs, inner.signal);
      } catch (error) {
        if (inner.signal.aborted) throw abortReason();
        await backOff(error, cursor, policy, run, inner.signal, options.onConnection);
      }
    }
  } finally {
    outer?.removeEventListener('abort', onAbort);
    // Releases a connection still open when the consumer stops early.
    inner.abort();
  }
}

async function openStream(
  transport: ApiTransport,
  run: RunRef,
  after: number,
  signal: AbortSignal,
): Promise<Response & { body: ReadableStream<Uint8Array> }> {
  const path = runPath(run, 'events');
  const response = await send(transport, {
    method: 'GET',
    path,
    token: run.token,
    headers: {
      accept: 'text/event-stream',
      ...(after > 0 ? { 'last-event-id': String(after) } : {}),
    },
    signal,
  });
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('text/event-stream') || response.body === null) {
    await response.body?.cancel();
    throw new HandoffApiError(
      'invalid_response',
      `GET ${transport.apiUrl}${path} answered '${type || 'no content type'}' to a request for text/event-stream.`,
      { status: response.status, request: `GET ${transport.apiUrl}${path}` },
    );
  }
  return response as Response & { body: ReadableStream<Uint8Array> };
}

/** Counts a failure and waits before the next attempt; rethrows what no retry can fix. */
async function backOff(
  error: unknown,
  cursor: Cursor,
  policy: ReconnectPolicy,
  run: RunRef,
  signal: AbortSignal,
  onConnection: FollowRunOptions['onConnection'],
): Promise<void> {
  // Error answers that are not retryable (401, 403, 404) and unreadable events end the stream.
  // Anything else is a dropped connection or a retryable answer.
  if (HandoffApiError.isInstance(error) && !error.isRetryable) throw error;
  cursor.failures += 1;
  if (cursor.failures >= policy.maxAttempts) {
    const message = (error as { message?: unknown } | null)?.message;
    const last = typeof message === 'string' ? message : String(error);
    const status = HandoffApiError.isInstance(error) ? error.status : 0;
    const request = HandoffApiError.isInstance(error) ? error.request : `GET events of run '${run.runId}'`;
    throw new HandoffApiError(
      HandoffApiError.isInstance(error) ? error.code : 'connection_failed',
      `Gave up following run '${run.runId}' after ${cursor.failures} failed attempts in a row ` +
        `(last event seq ${cursor.seq}; resume with runStream(run, { after: ${cursor.seq} })). Last failure: ${last}`,
      { status, request, cause: error },
    );
  }
  onConnection?.('reconnecting');
  await abortableDelay(reconnectDelay(policy, cursor.failures), signal);
}
