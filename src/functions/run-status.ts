/** `GET /api/workflows/{name}/status/{runId}`: where a run stands, with its clean conversation. */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import type { HandoffServices } from '../app/handoff-services';
import { apiRoute } from './api-route';
import type { RunStatusResponse } from '../client/api-schemas';
import type { RunStore } from '../durable/store/run-store';
import { runTimeline } from '../core/run-timeline';
import { conversationFromEvents } from '../http/conversation-view';
import { openRun, type RunRouteDeps } from '../http/open-run';
import { durableRunClient } from '../http/run-management-client';
import { durableClientInput } from './durable-bindings';
import { endedConversationsOf, type EndedConversations } from '../durable/store/ended-conversations';

/**
 * The run's state, active agent, turn, open request and clean conversation; with `?timeline=true`,
 * its timeline too (see `run-timeline.ts`), from the same events. The conversation of a run that
 * ended is its `output` event's: when this process keeps it (`ended`), no events are read.
 */
export async function getRunStatus(
  request: HttpRequest,
  _context: InvocationContext,
  deps: RunRouteDeps & { store: RunStore; ended?: EndedConversations },
): Promise<HttpResponseInit> {
  const view = await openRun(request, deps);
  const timeline = request.query.get('timeline') === 'true';
  // Only a run instance with a nonce has a key of its own: a conversation kept under it is its own.
  const ended = view.nonce !== undefined ? deps.ended : undefined;
  const kept = timeline ? undefined : ended?.get(view.storeKey);
  const events = kept ? [] : await deps.store.readEvents(view.storeKey, 0);
  const conversation = kept ?? conversationFromEvents(events);
  const output = kept ? undefined : events.at(-1);
  if (output?.type === 'output') ended?.remember(view.storeKey, output.conversation);
  const status = view.status;
  return {
    headers: { 'cache-control': 'no-store' },
    jsonBody: {
      runId: view.runId,
      workflow: view.workflow,
      state: view.state,
      activeAgent: view.activeAgent,
      turn: view.output?.turns ?? status?.turn ?? 0,
      pendingRequest:
        view.state === 'awaiting_input' && status?.pendingRequest
          ? { ...status.pendingRequest, kind: status.pendingRequest.kind ?? 'reply' }
          : null,
      conversation,
      ...(view.stopReason ? { stopReason: view.stopReason } : {}),
      ...(view.error ? { error: view.error } : {}),
      ...(timeline ? { timeline: runTimeline(events) } : {}),
    } satisfies RunStatusResponse,
  };
}

/** Registers `GET /api/workflows/{name}/status/{runId}`. */
export function registerGetRunStatus(services: HandoffServices): void {
  const route = 'workflows/{name}/status/{runId}';
  app.http('getRunStatus', {
    route,
    methods: ['GET', 'OPTIONS'],
    authLevel: 'anonymous',
    extraInputs: [durableClientInput()],
    handler: apiRoute(services, route, (request, context) =>
      getRunStatus(request, context, {
        client: durableRunClient(context),
        tokens: services.tokens(context),
        keys: services.keys(),
        store: services.store(),
        ended: endedConversationsOf(services),
      }),
    ),
  });
}
