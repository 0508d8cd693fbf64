import { WorkflowEventSchema, type WorkflowEvent } from '../core/events';
import {
  AGENT_RESPONSE_DELTA,
  AgentResponseDeltaSchema,
  type AgentResponseDelta,
} from '../core/response-delta';
import { formatIssues } from '../core/zod-issues';
import { HandoffApiError } from './handoff-api-error';

const KNOWN_TYPES: ReadonlySet<string> = new Set(
  WorkflowEventSchema.options.map((option) => option.shape.type.value),
);

/**
 * Parses one event with the core schemas. An event of a type this client does not know yet yields
 * `undefined` (callers skip it, so an older client keeps working with a newer server); an event of
 * a known type that does not fit its schema is an `invalid_response` error.
 */
export function parseWorkflowEvent(value: unknown, request: string): WorkflowEvent | undefined {
  const type = (value as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && !KNOWN_TYPES.has(type)) return undefined;
  const parsed = WorkflowEventSchema.safeParse(value);
  if (!parsed.success) {
    throw new HandoffApiError(
      'invalid_response',
      `${request} sent an event this client cannot read: ${formatIssues('event', parsed.error)}.`,
      { status: 200, request },
    );
  }
  return parsed.data;
}

/**
 * Parses the `data` of an SSE message of the events stream: an event, or a preview of an answer
 * being written (`agent_response_delta`); `undefined` for a type this client does not know.
 */
export function parseStreamData(
  data: string,
  request: string,
): WorkflowEvent | AgentResponseDelta | undefined {
  const json = parseJson(data, request);
  if ((json as { type?: unknown } | null)?.type !== AGENT_RESPONSE_DELTA)
    return parseWorkflowEvent(json, request);
  const parsed = AgentResponseDeltaSchema.safeParse(json);
  if (!parsed.success) {
    throw new HandoffApiError(
      'invalid_response',
      `${request} sent an answer preview this client cannot read: ${formatIssues('agent_response_delta', parsed.error)}.`,
      { status: 200, request },
    );
  }
  return parsed.data;
}

function parseJson(data: string, request: string): unknown {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    throw new HandoffApiError(
      'invalid_response',
      `${request} sent an SSE message whose data is not JSON: ${data.slice(0, 120)}`,
      { status: 200, request },
    );
  }
  return json;
}
