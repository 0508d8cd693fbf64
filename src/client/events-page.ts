import type { RunState, WorkflowEvent } from '../core/events';
import { RawEventsPageSchema } from './api-schemas';
import { callApi, type ApiTransport } from './api-transport';
import { parseWorkflowEvent } from './parse-event';
import { runPath, type RunRef } from './run-ref';

/** `GET /api/workflows/{name}/events/{runId}?after=N` as JSON: the events after `N`, and the run's state. */
export interface RunEventsPage {
  /** Events with `seq > after`, oldest first (types this client does not know are left out). */
  events: WorkflowEvent[];
  state: RunState;
}

/** Reads the stored events of a run after `after` (0: all of them). */
export async function fetchEventsPage(
  transport: ApiTransport,
  run: RunRef,
  after: number,
  signal?: AbortSignal,
): Promise<RunEventsPage> {
  const path = `${runPath(run, 'events')}?after=${after}`;
  const page = await callApi(
    transport,
    { method: 'GET', path, token: run.token, signal },
    RawEventsPageSchema,
  );
  const request = `GET ${transport.apiUrl}${path}`;
  const events: WorkflowEvent[] = [];
  for (const raw of page.events) {
    const event = parseWorkflowEvent(raw, request);
    if (event) events.push(event);
  }
  return { events, state: page.state };
}
