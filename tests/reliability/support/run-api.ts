/**
 * The app's public HTTP API as the reliability tests use it: start a run, read its status and
 * events, reply, and wait for a state with a named deadline.
 */
import type { RunState, StopReason, WorkflowEvent } from '../../../src/core/events';
import { request, waitFor } from '../../support/api-client';

/** The workflow every reliability test runs. */
export const WORKFLOW = 'customer_support';

/** A message of the API's clean conversation. */
export interface ApiMessage {
  role: 'user' | 'assistant';
  authorName: string;
  text: string;
  synthetic?: boolean;
}

/** The body of `GET .../status/{runId}`. */
export interface RunStatusBody {
  runId: string;
  workflow: string;
  state: RunState;
  activeAgent: string;
  turn: number;
  pendingRequest: {
    requestId: string;
    agent: string;
    prompt: string;
    kind?: 'reply' | 'tool_approval';
    tool?: { name: string; arguments: unknown; callId: string };
  } | null;
  conversation: ApiMessage[];
  stopReason?: StopReason;
  error?: { code: string; message: string };
}

/** A started run: its id and the token that grants access to it. */
export interface StartedRun {
  runId: string;
  /** The run's token from its start answer; when empty, the host's function key is sent instead. */
  token: string;
  functionKey?: string | undefined;
}

/** The credentials a request about `run` carries: its token, or else the function key. */
function credentials(run: StartedRun): { token?: string; headers?: Record<string, string> } {
  if (run.token !== '') return { token: run.token };
  return run.functionKey === undefined ? {} : { headers: { 'x-functions-key': run.functionKey } };
}

/** The states a run does not leave. */
export const FINAL_STATES: readonly RunState[] = ['completed', 'failed', 'terminated'];

/** `POST .../run`; fails the test unless the API answers 202. */
export async function startRun(
  api: string,
  body: { message: string; mode?: 'autonomous' | 'human_in_loop'; runId?: string },
): Promise<StartedRun> {
  const response = await request<{ runId: string; token: string }>(`${api}/workflows/${WORKFLOW}/run`, {
    body,
  });
  if (response.status !== 202) {
    throw new Error(`Starting a run answered ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return { runId: response.body.runId, token: response.body.token };
}

/** `GET .../status/{runId}` with the run's token. */
export async function runStatus(api: string, run: StartedRun): Promise<RunStatusBody> {
  const response = await request<RunStatusBody>(`${api}/workflows/${WORKFLOW}/status/${run.runId}`, {
    ...credentials(run),
  });
  if (response.status !== 200) {
    throw new Error(`Status of ${run.runId} answered ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return response.body;
}

/** `GET .../events/{runId}`: the whole event log. */
export async function runEvents(api: string, run: StartedRun): Promise<WorkflowEvent[]> {
  const response = await request<{ events: WorkflowEvent[] }>(
    `${api}/workflows/${WORKFLOW}/events/${run.runId}`,
    credentials(run),
  );
  if (response.status !== 200) {
    throw new Error(`Events of ${run.runId} answered ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return response.body.events;
}

/** `POST .../respond/{runId}`; returns the status code and body (202, or 409 for a stale reply). */
export async function reply(
  api: string,
  run: StartedRun,
  message: string,
  requestId?: string,
): Promise<{ status: number; body: unknown }> {
  const response = await request(`${api}/workflows/${WORKFLOW}/respond/${run.runId}`, {
    ...credentials(run),
    body: { message, ...(requestId === undefined ? {} : { requestId }) },
  });
  return { status: response.status, body: response.body };
}

/** Waits until the run's status satisfies `done`, or fails naming `what` after `timeoutMs`. */
export async function waitForStatus(
  api: string,
  run: StartedRun,
  what: string,
  done: (status: RunStatusBody) => boolean,
  timeoutMs = 30_000,
): Promise<RunStatusBody> {
  let last: RunStatusBody | undefined;
  try {
    return await waitFor(
      `${what} (run ${run.runId})`,
      async () => {
        last = await runStatus(api, run);
        return done(last) ? last : undefined;
      },
      { timeoutMs, intervalMs: 50 },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last status: ${JSON.stringify(last)}`);
  }
}

/** Waits for the run to end (completed, failed or terminated). */
export function waitForEnd(api: string, run: StartedRun, timeoutMs = 30_000): Promise<RunStatusBody> {
  return waitForStatus(api, run, 'the run to end', (s) => FINAL_STATES.includes(s.state), timeoutMs);
}

/** Waits for the run to wait for input and returns the open request. */
export async function waitForRequest(
  api: string,
  run: StartedRun,
  timeoutMs = 30_000,
): Promise<NonNullable<RunStatusBody['pendingRequest']>> {
  const status = await waitForStatus(
    api,
    run,
    'the run to ask for input',
    (s) => s.state === 'awaiting_input' || FINAL_STATES.includes(s.state),
    timeoutMs,
  );
  if (status.pendingRequest === null) {
    throw new Error(`Run ${run.runId} ended instead of asking for input: ${JSON.stringify(status)}`);
  }
  return status.pendingRequest;
}

/**
 * Problems of an event log: `seq` must run 1..n without gaps or duplicates, with exactly one
 * `started` (first) and one `output` (last). Empty when the log is sound.
 */
export function eventLogProblems(events: readonly WorkflowEvent[]): string[] {
  const problems: string[] = [];
  events.forEach((event, index) => {
    if (event.seq !== index + 1) problems.push(`event #${index + 1} has seq ${event.seq}`);
  });
  const count = (type: WorkflowEvent['type']): number => events.filter((e) => e.type === type).length;
  if (count('started') !== 1) problems.push(`${count('started')} 'started' events`);
  if (count('output') !== 1) problems.push(`${count('output')} 'output' events`);
  if (events[0]?.type !== 'started') problems.push(`the first event is '${events[0]?.type}'`);
  if (events.at(-1)?.type !== 'output') problems.push(`the last event is '${events.at(-1)?.type}'`);
  return problems;
}

/** The clean conversation as the event log tells it: user messages and agent responses, in order. */
export function conversationOfEvents(events: readonly WorkflowEvent[]): ApiMessage[] {
  return events.flatMap((event): ApiMessage[] => {
    if (event.type === 'user_message') {
      return [
        {
          role: 'user',
          authorName: 'user',
          text: event.text,
          ...(event.synthetic ? { synthetic: true } : {}),
        },
      ];
    }
    if (event.type === 'agent_response')
      return [{ role: 'assistant', authorName: event.agent, text: event.text }];
    return [];
  });
}
