/**
 * The page's view of the public HTTP API: the answers and events it uses, and their readers.
 * Only the fields the page needs are read; the rest of each answer is ignored.
 */
import {
  arrayField,
  enumField,
  integerField,
  objectOf,
  optionalStringField,
  stringField,
  type JsonFields,
} from './json-reader.js';

/** Where a run stands. */
export const RUN_STATES = ['running', 'awaiting_input', 'completed', 'failed', 'terminated'] as const;
export type RunState = (typeof RUN_STATES)[number];

/** How a run talks to the human. */
export const INTERACTION_MODES = ['human_in_loop', 'autonomous'] as const;
export type InteractionMode = (typeof INTERACTION_MODES)[number];

/** True for the states a run never leaves. */
export function isFinalState(state: RunState): boolean {
  return state === 'completed' || state === 'failed' || state === 'terminated';
}

/** A workflow of `GET /api/workflows`. */
export interface WorkflowSummary {
  name: string;
  description: string | undefined;
  startAgent: string;
}

/** The answer of `POST /api/workflows/{name}/run`: the run, its token and its URLs. */
export interface StartedRun {
  runId: string;
  workflow: string;
  token: string;
  statusUri: string;
  eventsUri: string;
  respondUri: string;
  terminateUri: string;
}

/** The answer of `GET /api/workflows/{name}/status/{runId}`, as far as the page uses it. */
export interface RunStatus {
  state: RunState;
  activeAgent: string;
  pendingRequest: { requestId: string; agent: string; prompt: string } | null;
  stopReason: string | undefined;
  error: { code: string; message: string } | undefined;
}

/** The run events the page renders (`seq` numbers them 1, 2, 3... per run). */
export type ChatEvent =
  | { type: 'started'; seq: number; workflow: string; mode: string }
  | { type: 'executor_invoked' | 'executor_completed'; seq: number; executorId: string }
  | { type: 'handoff_sent'; seq: number; source: string; target: string; reason: string | undefined }
  | { type: 'agent_response'; seq: number; agent: string; text: string }
  | { type: 'request_info'; seq: number; requestId: string; agent: string; prompt: string }
  | { type: 'user_message'; seq: number; text: string; requestId: string | undefined; synthetic: boolean }
  | { type: 'warning' | 'error'; seq: number; code: string; message: string }
  | { type: 'status'; seq: number; state: RunState; stopReason: string | undefined }
  | { type: 'output'; seq: number; stopReason: string };

/** Every event type the page renders: the SSE `event:` names it listens to. */
export const CHAT_EVENT_TYPES = [
  'started',
  'executor_invoked',
  'executor_completed',
  'handoff_sent',
  'agent_response',
  'request_info',
  'user_message',
  'warning',
  'error',
  'status',
  'output',
] as const satisfies readonly ChatEvent['type'][];

/** Reads `GET /api/workflows`. */
export function readWorkflows(body: unknown): WorkflowSummary[] {
  return arrayField(objectOf(body, 'workflow list'), 'workflows').map((item) => {
    const json = objectOf(item, 'workflow');
    return {
      name: stringField(json, 'name'),
      description: optionalStringField(json, 'description'),
      startAgent: stringField(json, 'startAgent'),
    };
  });
}

/** Reads the answer of a run start. */
export function readStartedRun(body: unknown): StartedRun {
  const json = objectOf(body, 'run start answer');
  return {
    runId: stringField(json, 'runId'),
    workflow: stringField(json, 'workflow'),
    token: stringField(json, 'token'),
    statusUri: stringField(json, 'statusUri'),
    eventsUri: stringField(json, 'eventsUri'),
    respondUri: stringField(json, 'respondUri'),
    terminateUri: stringField(json, 'terminateUri'),
  };
}

/** Reads a run status. */
export function readRunStatus(body: unknown): RunStatus {
  const json = objectOf(body, 'run status');
  const pending = json.fields.pendingRequest;
  const error = json.fields.error;
  let pendingRequest: RunStatus['pendingRequest'] = null;
  if (pending !== null && pending !== undefined) {
    const request = objectOf(pending, 'pending request');
    pendingRequest = {
      requestId: stringField(request, 'requestId'),
      agent: stringField(request, 'agent'),
      prompt: stringField(request, 'prompt'),
    };
  }
  let errorInfo: RunStatus['error'];
  if (error !== null && error !== undefined) {
    const problem = objectOf(error, 'run error');
    errorInfo = { code: stringField(problem, 'code'), message: stringField(problem, 'message') };
  }
  return {
    state: enumField(json, 'state', RUN_STATES),
    activeAgent: stringField(json, 'activeAgent'),
    pendingRequest,
    stopReason: optionalStringField(json, 'stopReason'),
    error: errorInfo,
  };
}

function readKnownEvent(json: JsonFields, type: ChatEvent['type'], seq: number): ChatEvent {
  switch (type) {
    case 'started':
      return { type, seq, workflow: stringField(json, 'workflow'), mode: stringField(json, 'mode') };
    case 'executor_invoked':
    case 'executor_completed':
      return { type, seq, executorId: stringField(json, 'executorId') };
    case 'handoff_sent':
      return {
        type,
        seq,
        source: stringField(json, 'source'),
        target: stringField(json, 'target'),
        reason: optionalStringField(json, 'reason'),
      };
    case 'agent_response':
      return { type, seq, agent: stringField(json, 'agent'), text: stringField(json, 'text') };
    case 'request_info':
      return {
        type,
        seq,
        requestId: stringField(json, 'requestId'),
        agent: stringField(json, 'agent'),
        prompt: stringField(json, 'prompt'),
      };
    case 'user_message':
      return {
        type,
        seq,
        text: stringField(json, 'text'),
        requestId: optionalStringField(json, 'requestId'),
        synthetic: json.fields.synthetic === true,
      };
    case 'warning':
    case 'error':
      return { type, seq, code: stringField(json, 'code'), message: stringField(json, 'message') };
    case 'status':
      return {
        type,
        seq,
        state: enumField(json, 'state', RUN_STATES),
        stopReason: optionalStringField(json, 'stopReason'),
      };
    case 'output':
      return { type, seq, stopReason: stringField(json, 'stopReason') };
  }
}

/** Reads one event (an SSE `data:` line already parsed, or an item of the JSON event log); undefined for types the page does not render. */
export function readEvent(value: unknown): ChatEvent | undefined {
  const json = objectOf(value, 'run event');
  const type = stringField(json, 'type');
  const known = CHAT_EVENT_TYPES.find((candidate) => candidate === type);
  if (known === undefined) return undefined;
  const seq = integerField(json, 'seq');
  return readKnownEvent(objectOf(value, `'${type}' event`), known, seq);
}

/** Reads `GET .../events/{runId}` as JSON: the events the page renders, in order. */
export function readEventLog(body: unknown): ChatEvent[] {
  return arrayField(objectOf(body, 'event log'), 'events')
    .map(readEvent)
    .filter((event): event is ChatEvent => event !== undefined);
}
