/**
 * `GET /api/workflows/{name}/events/{runId}?after=N`: the run's ordered event log. With
 * `Accept: text/event-stream`, a Server-Sent Events stream: the backlog after `Last-Event-ID` (or
 * `after`), then the run live until it ends.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { createEventStream } from '../http/event-stream';
import { ApiError } from '../http/http-error';
import { openRun } from '../http/open-run';
import { AfterSchema } from '../http/request-schemas';
import { isFinished, loadRun } from '../http/run-view';
import { withApiErrors } from '../http/with-api-errors';

function parseAfter(request: HttpRequest): number {
  const raw = request.headers.get('last-event-id') ?? request.query.get('after') ?? '0';
  const parsed = AfterSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ApiError(
      400,
      'invalid_request',
      `after (or Last-Event-ID) must be a non-negative integer event seq; got '${raw.slice(0, 40)}'.`,
    );
  }
  return parsed.data;
}

function numberSetting(name: string, fallback: number, min: number, max: number): number {
  const value = Number(process.env[name] ?? fallback);
  return Number.isFinite(value) && value >= min && value <= max ? value : fallback;
}

/** How often a stream polls the run store (`DURABLE_HANDOFF_SSE_POLL_MS`, 50 ms to 60 s, default 500). */
const pollInterval = (): number => numberSetting('DURABLE_HANDOFF_SSE_POLL_MS', 500, 50, 60_000);

/**
 * How long one stream stays open (`DURABLE_HANDOFF_SSE_MAX_SECONDS`, default 120, at most 220: under
 * the 230 s limit of Azure's front ends); clients reconnect with Last-Event-ID.
 */
const maxStreamMs = (): number => numberSetting('DURABLE_HANDOFF_SSE_MAX_SECONDS', 120, 1, 220) * 1000;

/** Serves the event log as JSON, or as an SSE stream that follows the run. */
export async function getRunEvents(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const { view, client, services } = await openRun(request, context);
  const after = parseAfter(request);
  const wantsStream = (request.headers.get('accept') ?? '').includes('text/event-stream');
  if (!wantsStream) {
    const events = await services.store.readEvents(view.runId, after);
    return { headers: { 'cache-control': 'no-store' }, jsonBody: { events, state: view.state } };
  }
  const body = createEventStream({
    after,
    pollMs: pollInterval(),
    maxDurationMs: maxStreamMs(),
    read: (cursor) => services.store.readEvents(view.runId, cursor),
    isFinished: async () => isFinished(await loadRun(client, view.workflow, view.runId)),
    onError: (error) =>
      context.warn(`Event stream of run '${view.runId}' stopped: ${(error as Error).message}`),
  });
  return {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    },
    body,
  };
}

/** Registers `GET /api/workflows/{name}/events/{runId}`. */
export function registerGetRunEvents(): void {
  app.http('getRunEvents', {
    route: 'workflows/{name}/events/{runId}',
    methods: ['GET'],
    authLevel: 'anonymous',
    extraInputs: [df.input.durableClient()],
    handler: withApiErrors(getRunEvents),
  });
}
