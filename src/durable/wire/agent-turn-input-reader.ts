/**
 * Reads the agent-turn activity's input without the schema when it has the usual shape. The input is
 * the orchestrator's (Durable history): a current input with plain events, every time but after a
 * redeploy or a retry. Checking those fields by hand costs a fraction of the schema's parse (a union
 * of two input shapes and a discriminated union per event, about 0.25 ms per turn in the bench's
 * profile, #16), and the check accepts only what the schema accepts unchanged: every property the
 * schema names, with its type, and no other (the schema would strip it). Anything else (an earlier
 * build's input, `append`, `resume` or `retry`, an event type or property the check does not cover)
 * is parsed by the schema, which also words the errors.
 */
import { isCount, isPlainObject } from '../../core/value-checks';
import { agentTurnActivity, type AgentTurnInput, type LegacyAgentTurnInput } from './agent-turn-activity';

const isObject = isPlainObject;
const isString = (value: unknown): value is string => typeof value === 'string';
const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** Properties of every event: `seq`, `timestamp`, `type`. */
const BASE = 3;

/**
 * The event types the check covers, each with its properties beyond the base and their check; an
 * optional property is checked when present.
 */
const EVENT_FIELDS: Record<
  string,
  Record<string, { check: (value: unknown) => boolean; optional?: true }>
> = {
  started: {
    workflow: { check: isString },
    version: { check: isString },
    mode: { check: (value) => value === 'autonomous' || value === 'human_in_loop' },
    startAgent: { check: isString },
  },
  executor_invoked: { executorId: { check: isString } },
  executor_completed: {
    executorId: { check: isString },
    usage: {
      optional: true,
      check: (value) =>
        isObject(value) &&
        Object.keys(value).length === 3 &&
        isCount(value.inputTokens, 0) &&
        isCount(value.outputTokens, 0) &&
        isCount(value.modelCalls, 0),
    },
  },
  user_message: {
    text: { check: isString },
    requestId: { check: isString, optional: true },
    synthetic: { check: (value) => typeof value === 'boolean', optional: true },
  },
  handoff_sent: {
    source: { check: isString },
    target: { check: isString },
    reason: { check: isString, optional: true },
  },
  error: { code: { check: isString }, message: { check: isString } },
};

function isPlainEvent(event: unknown): boolean {
  if (!isObject(event) || !isCount(event.seq, 1) || !isString(event.timestamp) || !isString(event.type)) {
    return false;
  }
  // Own properties only: a type such as `constructor` names no event.
  const fields = Object.hasOwn(EVENT_FIELDS, event.type) ? EVENT_FIELDS[event.type] : undefined;
  if (!fields) return false;
  let present = BASE;
  for (const name in fields) {
    const field = fields[name]!;
    const value = event[name];
    if (value === undefined) {
      if (!field.optional || name in event) return false;
      continue;
    }
    if (!field.check(value)) return false;
    present += 1;
  }
  return Object.keys(event).length === present;
}

/** Properties of a current input the check covers; `nonce` and `trace` are optional. */
const INPUT_KEYS = new Set([
  'schemaVersion',
  'runId',
  'nonce',
  'trace',
  'workflow',
  'version',
  'agent',
  'turn',
  'knownMessages',
  'events',
  'handledReplyIds',
  'checkTerminationFirst',
  'toolCallFiltering',
  'firstSeq',
  'wantsPrompt',
]);

const NONCE = /^[A-Za-z0-9_-]{22}$/;
const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

function isPlainTrace(trace: unknown): boolean {
  if (!isObject(trace) || !isString(trace.traceparent) || !TRACEPARENT.test(trace.traceparent)) return false;
  const keys = Object.keys(trace).length;
  if (trace.tracestate === undefined) return keys === 1 && !('tracestate' in trace);
  return keys === 2 && isString(trace.tracestate) && trace.tracestate.length <= 512;
}

/** True when `raw` is a current input of the usual shape, which the schema would return unchanged. */
function isPlainInput(raw: unknown): raw is AgentTurnInput {
  if (!isObject(raw) || raw.schemaVersion !== 2) return false;
  for (const key in raw) if (!INPUT_KEYS.has(key) || raw[key] === undefined) return false;
  return (
    isText(raw.runId) &&
    (!('nonce' in raw) || (isString(raw.nonce) && NONCE.test(raw.nonce))) &&
    (!('trace' in raw) || isPlainTrace(raw.trace)) &&
    isText(raw.workflow) &&
    isText(raw.version) &&
    isText(raw.agent) &&
    isCount(raw.turn, 1) &&
    isCount(raw.knownMessages, 0) &&
    Array.isArray(raw.events) &&
    raw.events.every(isPlainEvent) &&
    Array.isArray(raw.handledReplyIds) &&
    raw.handledReplyIds.every(isString) &&
    typeof raw.checkTerminationFirst === 'boolean' &&
    (raw.toolCallFiltering === 'handoff_only' ||
      raw.toolCallFiltering === 'all' ||
      raw.toolCallFiltering === 'none') &&
    isCount(raw.firstSeq, 1) &&
    typeof raw.wantsPrompt === 'boolean'
  );
}

/**
 * The agent-turn input `raw`, as `agentTurnActivity.input.parse` returns it (the same values; for
 * the usual shape, `raw` itself, which the caller must not change). Throws the schema's error when
 * it does not parse.
 */
export function readAgentTurnInput(raw: unknown): AgentTurnInput | LegacyAgentTurnInput {
  return isPlainInput(raw) ? raw : agentTurnActivity.input.parse(raw);
}

/** {@link readAgentTurnInput}, as `safeParse` answers: undefined when it does not parse. */
export function tryReadAgentTurnInput(raw: unknown): AgentTurnInput | LegacyAgentTurnInput | undefined {
  if (isPlainInput(raw)) return raw;
  const parsed = agentTurnActivity.input.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}
