import type { WorkflowEvent } from '../core/events';

/** How an SSE stream follows a run. */
export interface EventStreamOptions {
  /** Reads stored events with `seq > after`. */
  read(after: number): Promise<WorkflowEvent[]>;
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
 * A Server-Sent Events body that sends the backlog after `after` and then follows the run live from
 * durable state (the run store), so any instance of a scaled-out app can serve it. It ends after the
 * run's `output` event, when the run is over, or after `maxDurationMs`.
 */
export function createEventStream(options: EventStreamOptions): ReadableStream<Uint8Array> {
  const pollMs = options.pollMs ?? 500;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxDurationMs = options.maxDurationMs ?? 120_000;
  const finishedCheckMs = options.finishedCheckMs ?? 15_000;
  const now = options.now ?? Date.now;
  let cursor = options.after;
  let cancelled = false;
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
      controller.enqueue(encoder.encode(`retry: 2000\n\n`));
      try {
        while (!cancelled && now() - started < maxDurationMs) {
          const events = await options.read(cursor);
          for (const event of events) {
            controller.enqueue(encoder.encode(sseFrame(event)));
            cursor = event.seq;
            lastWrite = now();
            // `output` is a run's last event.
            if (event.type === 'output') {
              controller.close();
              return;
            }
          }
          const checkDue =
            events.length === 0 &&
            (lastFinishedCheck === undefined || now() - lastFinishedCheck >= finishedCheckMs);
          if (checkDue) lastFinishedCheck = now();
          if (checkDue && (await options.isFinished())) {
            const tail = await options.read(cursor);
            for (const event of tail) controller.enqueue(encoder.encode(sseFrame(event)));
            controller.close();
            return;
          }
          if (now() - lastWrite >= heartbeatMs) {
            controller.enqueue(encoder.encode(`: keep-alive\n\n`));
            lastWrite = now();
          }
          // A run waiting for a human can be quiet for hours: poll less often the longer it stays quiet.
          quietPolls = events.length > 0 ? 0 : quietPolls + 1;
          await pause(pollMs * Math.min(8, 2 ** Math.floor(quietPolls / 10)));
        }
        if (!cancelled) controller.close();
      } catch (error) {
        options.onError?.(error);
        if (!cancelled) controller.close();
      }
    },
    cancel() {
      cancelled = true;
      wake?.();
    },
  });
}
