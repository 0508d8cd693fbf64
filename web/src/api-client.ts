/**
 * The public HTTP API as the page calls it: `fetch` with the run token as a Bearer header, JSON in and
 * out, and the API's `{ "error": { "code", "message" } }` answers turned into {@link ApiRequestError}.
 */
import {
  readEventLog,
  readRunStatus,
  readStartedRun,
  readWorkflows,
  type ChatEvent,
  type InteractionMode,
  type RunStatus,
  type StartedRun,
  type WorkflowSummary,
} from './api-types.js';
import { objectOf, stringField } from './json-reader.js';
import { onPageOrigin } from './page-origin.js';

/** A call to the API failed: `status` 0 when the server could not be reached. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

/** The API calls of the page. */
export interface ChatApi {
  listWorkflows(): Promise<WorkflowSummary[]>;
  startRun(workflow: string, message: string, mode: InteractionMode): Promise<StartedRun>;
  getStatus(run: StartedRun): Promise<RunStatus>;
  readEvents(run: StartedRun, after: number): Promise<ChatEvent[]>;
  respond(run: StartedRun, message: string, requestId: string): Promise<void>;
  terminate(run: StartedRun): Promise<void>;
}

/** The API's `{ "error": { "code", "message" } }`, or a plain description of the status. */
function errorOf(status: number, body: unknown): ApiRequestError {
  try {
    const error = objectOf(objectOf(body, 'error answer').fields.error, 'error');
    return new ApiRequestError(status, stringField(error, 'code'), stringField(error, 'message'));
  } catch {
    return new ApiRequestError(status, 'http_error', `The server answered ${status}.`);
  }
}

async function call(
  url: string,
  init: { method?: string; token?: string; body?: unknown },
): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? 'GET',
      headers,
      cache: 'no-store',
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
  } catch {
    throw new ApiRequestError(0, 'network_error', 'The server cannot be reached. Check your connection.');
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok) throw errorOf(response.status, body);
  return body;
}

/** The API under `apiBase` (e.g. `https://app.example/api/`). */
export function createChatApi(apiBase: URL): ChatApi {
  const workflowUrl = (name: string) => new URL(`workflows/${encodeURIComponent(name)}`, apiBase).toString();
  const origin = apiBase.origin;
  return {
    async listWorkflows() {
      return readWorkflows(await call(new URL('workflows', apiBase).toString(), {}));
    },
    async startRun(workflow, message, mode) {
      const body = await call(`${workflowUrl(workflow)}/run`, { method: 'POST', body: { message, mode } });
      const run = readStartedRun(body);
      return {
        ...run,
        statusUri: onPageOrigin(run.statusUri, origin),
        eventsUri: onPageOrigin(run.eventsUri, origin),
        respondUri: onPageOrigin(run.respondUri, origin),
        terminateUri: onPageOrigin(run.terminateUri, origin),
      };
    },
    async getStatus(run) {
      return readRunStatus(await call(run.statusUri, { token: run.token }));
    },
    async readEvents(run, after) {
      const url = new URL(run.eventsUri);
      url.searchParams.set('after', String(after));
      return readEventLog(await call(url.toString(), { token: run.token }));
    },
    async respond(run, message, requestId) {
      await call(run.respondUri, { method: 'POST', token: run.token, body: { message, requestId } });
    },
    async terminate(run) {
      await call(run.terminateUri, { method: 'POST', token: run.token });
    },
  };
}
