/**
 * `GET /api/workflows/{name}/events/{runId}?after=N`: the run's ordered event log. With
 * `Accept: text/event-stream`, a Server-Sent Events stream: the backlog after `Last-Event-ID` (or
 * `after`), then the run live until it ends, with the answers being written interleaved as
 * `agent_response_delta` messages (no `id:`: they are previews, not events of the log).
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import type { HandoffServices } from '../app/handoff-services';
import { apiRoute } from './api-route';
import type { RunEventsPage } from '../client/events-page';
import type { LivePreviewChannel } from '../durable/preview/live-preview-channel';
import type { RunStore } from '../durable/store/run-store';
import { createEventStream } from '../http/event-stream';
import type { EventStreamSettings } from '../http/event-stream-settings';
import { ApiError } from '../http/http-error';
import { openRun, type RunRouteDeps } from '../http/open-run';
import { durableRunClient } from '../http/run-management-client';
import { AfterSchema } from '../http/request-schemas';
import { isFinished } from '../core/events';
import { loadRun } from '../http/run-view';
import { durableClientInput } from './durable-bindings';

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

/** Serves the event log as JSON, or as an SSE stream that follows the run. */
export async function getRunEvents(
  request: HttpRequest,
  context: InvocationContext,
  deps: RunRouteDeps & { store: RunStore; stream: EventStreamSettings; previews?: LivePreviewChannel },
): Promise<HttpResponseInit> {
  const view = await openRun(request, deps);
  const after = parseAfter(request);
  const wantsStream = (request.headers.get('accept') ?? '').includes('text/event-stream');
  if (!wantsStream) {
    const events = await deps.store.readEvents(view.storeKey, after);
    return {
      headers: { 'cache-control': 'no-store' },
      jsonBody: { events, state: view.state } satisfies RunEventsPage,
    };
  }
  const body = createEventStream({
    after,
    pollMs: deps.stream.pollMs,
    maxDurationMs: deps.stream.maxDurationMs,
    read: (cursor) => deps.store.readEventFeed(view.storeKey, cursor),
    // Previews are published under the run's store key, so a reused run id never sees another run's.
    ...(deps.previews
      ? { subscribePreviews: deps.previews.subscribe.bind(deps.previews, view.storeKey) }
      : {}),
    isFinished: async () => isFinished((await loadRun(deps.client, view.workflow, view.runId)).state),
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
export function registerGetRunEvents(services: HandoffServices): void {
  const route = 'workflows/{name}/events/{runId}';
  app.http('getRunEvents', {
    route,
    methods: ['GET', 'OPTIONS'],
    authLevel: 'anonymous',
    extraInputs: [durableClientInput()],
    handler: apiRoute(services, route, (request, context) =>
      getRunEvents(request, context, {
        client: durableRunClient(context),
        tokens: services.tokens(context),
        keys: services.keys(),
        store: services.store(),
        stream: services.eventStream(),
        previews: services.previews(),
      }),
    ),
  });
}
