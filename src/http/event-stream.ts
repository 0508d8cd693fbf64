import type { WorkflowEvent } from '../core/events';
import type { AgentResponseDelta } from '../core/response-delta';
import type { PreviewListener } from '../durable/preview/live-preview-channel';
import type { EventFeed } from '../durable/store/run-store';
import { PreviewRelay } from './preview-relay';

/** How an SSE stream follows a run. */
export interface EventStreamOptions {
  /** Reads stored events with `seq > after`, and the answer preview if one is stored. */
  read(after: number): Promise<EventFeed>;
  /**
   * Listens to the run's previews published in this process (the agent turn runs here), until the
   * returned function is called. Without it, previews come from the run store only.
   */
  subscribePreviews?: (listener: PreviewListener) => () => void;
  /**
   * True when the run will produce no more events. A run ends with its `output` event, which ends
   * the stream; this catches a run that ended without one (its orchestration failed, or was
   * terminated through Durable's own API). It reads the run's Durable status, a larger request than
   * a read of the events, so it is asked on the first poll that finds nothing new and then at most
   * every `finishedCheckMs` while the run stays quiet (a run waiting for a human can for hours).
   */
  isFinished(): Promise<boolean>;
  /** The least time between two {@link isFinished} checks of a quiet run (default 15 s). */
  finishedCheckMs?: number;
  /** The last `seq` the client already has. */
  after: number;
  /** Poll interval while events flow (default 500 ms); it stretches up to 8x while the run is quiet. */
  pollMs?: number;
  /** Keep-alive comment interval (default 15 s), so proxies keep the connection open. */
  heartbeatMs?: number;
  /**
   * The longest a stream stays open (default 120 s); clients reconnect with Last-Event-ID. It also
   * bounds a stream whose client left: `@azure/functions` (4.16) keeps reading a streamed body after
   * the client disconnects and never cancels it, so the server cannot notice the departure.
   */
  maxDurationMs?: number;
  /** Where polling errors go; the stream then ends and the client reconnects. */
  onError?: (error: unknown) => void;
  /** The clock of the intervals above, in ms (default `Date.now`). */
  now?: () => number;
}

const encoder = new TextEncoder();

/**
 * One SSE frame: `id` is the event's `seq`, so EventSource resumes with `Last-Event-ID`. No `event:`
 * field: every frame is a plain `message` (the type is in the data), so a run's `error` event can
 * never be mistaken for EventSource's own connection `error`.
 */
export function sseFrame(event: WorkflowEvent): string {
  return `id: ${event.seq}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * The SSE frame of an answer preview's piece: no `id:` line, so `Last-Event-ID` keeps meaning the
 * last durable `seq` the client has.
 */
export function deltaFrame(delta: AgentResponseDelta): string {
  return `data: ${JSON.stringify(delta)}\n\n`;
}

/**
 * A Server-Sent Events body that sends the backlog after `after` and then follows the run live from
 * durable state (the run store), so any instance of a scaled-out app can serve it. It ends after the
 * run's `output` event, when the run is over, or after `maxDurationMs`.
 *
 * Answer previews are interleaved as `agent_response_delta` messages: from this process's channel
 * as soon as the model writes (when the turn runs here), else from the run store's copy at the next
 * poll. See {@link PreviewRelay} for where they may appear.
 */
export function createEventStream(options: EventStreamOptions): ReadableStream<Uint8Array> {
  const pollMs = options.pollMs ?? 500;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxDurationMs = options.maxDurationMs ?? 120_000;
  const finishedCheckMs = options.finishedCheckMs ?? 15_000;
  const now = options.now ?? Date.now;
  const relay = new PreviewRelay();
  let cursor = options.after;
  let cancelled = false;
  let closed = false;
  let unsubscribe: (() => void) | undefined;
  let wake: (() => void) | undefined;
  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const started = now();
      let lastWrite = now();
      let quietPolls = 0;
      let lastFinishedCheck: number | undefined;
      let previewed = false;
      const send = (frame: string): void => {
        controller.enqueue(encoder.encode(frame));
        lastWrite = now();
      };
      const sendDelta = (delta: AgentResponseDelta | undefined): boolean => {
        if (delta === undefined) return false;
        send(deltaFrame(delta));
        previewed = true;
        return true;
      };
      const close = (): void => {
        closed = true;
        unsubscribe?.();
        if (!cancelled) controller.close();
      };
      send(`retry: 2000\n\n`);
      unsubscribe = options.subscribePreviews?.((preview) => {
        if (closed) return;
        // A preview ahead of the events this stream sent: read them now rather than at the next poll.
        if (!sendDelta(relay.offer(preview, cursor)) && relay.waiting) wake?.();
      });
      try {
        while (!cancelled && now() - started < maxDurationMs) {
          const feed = await options.read(cursor);
          for (const event of feed.events) {
            send(sseFrame(event));
            cursor = event.seq;
            // `output` is a run's last event.
            if (event.type === 'output') {
              close();
              return;
            }
          }
          sendDelta(relay.release(cursor));
          if (feed.preview !== undefined) sendDelta(relay.offer(feed.preview, cursor));
          const checkDue =
            feed.events.length === 0 &&
            (lastFinishedCheck === undefined || now() - lastFinishedCheck >= finishedCheckMs);
          if (checkDue) lastFinishedCheck = now();
          if (checkDue && (await options.isFinished())) {
            const tail = await options.read(cursor);
            for (const event of tail.events) send(sseFrame(event));
            close();
            return;
          }
          if (now() - lastWrite >= heartbeatMs) send(`: keep-alive\n\n`);
          // A run waiting for a human can be quiet for hours: poll less often the longer it stays
          // quiet. An answer being written is not quiet.
          quietPolls = feed.events.length > 0 || previewed ? 0 : quietPolls + 1;
          previewed = false;
          await pause(pollMs * Math.min(8, 2 ** Math.floor(quietPolls / 10)));
        }
        close();
      } catch (error) {
        options.onError?.(error);
        close();
      }
    },
    cancel() {
      cancelled = true;
      closed = true;
      unsubscribe?.();
      wake?.();
    },
  });
}
