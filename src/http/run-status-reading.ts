/**
 * A run's custom status and output as every route reads them from its Durable status (#16: a status
 * read checked both with zod, about a tenth of the app's CPU per read). The shapes the orchestrator
 * writes are checked by hand, field by field as the schemas check them; anything else (an approval
 * request's tool, outputs of earlier builds with fields the schema drops, a value of the wrong type)
 * goes to the schema, which decides.
 */
import { isCount, isPlainObject } from '../core/value-checks';
import { RunStateSchema, StopReasonSchema } from '../core/events';
import { RunOutputSchema, type RunOutput } from '../durable/wire/run-output';
import { RunStatusSchema, type RunStatus } from '../durable/wire/run-status';

type Fields = Record<string, unknown>;

const RUN_STATES: ReadonlySet<unknown> = new Set(RunStateSchema.options);
const STOP_REASONS: ReadonlySet<unknown> = new Set(StopReasonSchema.options);
const NONCE = /^[A-Za-z0-9_-]{22}$/;
const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

const STATUS_KEYS: ReadonlySet<string> = new Set(Object.keys(RunStatusSchema.shape));
const OUTPUT_KEYS: ReadonlySet<string> = new Set(Object.keys(RunOutputSchema.shape));
const USAGE_KEYS = ['promptTokens', 'completionTokens', 'totalTokens', 'requests'] as const;

const isFields: (value: unknown) => value is Fields = isPlainObject;

/** True when every own key of `value` is one of `keys`: the schema then drops nothing. */
function onlyKeys(value: Fields, keys: ReadonlySet<string>): boolean {
  for (const key in value) if (!keys.has(key)) return false;
  return true;
}

/** A reply request (no `kind`, no `tool`), or null: what the custom status holds but for approvals. */
function isUsualPendingRequest(value: unknown): boolean {
  if (value === null) return true;
  if (!isFields(value)) return false;
  let keys = 0;
  for (const key in value) {
    keys += 1;
    if (key !== 'requestId' && key !== 'agent' && key !== 'prompt') return false;
  }
  return (
    keys === 3 &&
    typeof value.requestId === 'string' &&
    typeof value.agent === 'string' &&
    typeof value.prompt === 'string'
  );
}

function isUsualTrace(value: unknown): boolean {
  if (!isFields(value) || typeof value.traceparent !== 'string' || !TRACEPARENT.test(value.traceparent)) {
    return false;
  }
  let keys = 0;
  for (const key in value) {
    keys += 1;
    if (key !== 'traceparent' && key !== 'tracestate') return false;
  }
  return keys === 1 || (typeof value.tracestate === 'string' && value.tracestate.length <= 512);
}

function isUsualStatus(value: unknown): value is RunStatus {
  return (
    isFields(value) &&
    onlyKeys(value, STATUS_KEYS) &&
    value.v === 1 &&
    typeof value.workflow === 'string' &&
    RUN_STATES.has(value.state) &&
    typeof value.activeAgent === 'string' &&
    isCount(value.turn) &&
    isUsualPendingRequest(value.pendingRequest) &&
    isCount(value.lastSeq) &&
    isCount(value.handoffs) &&
    isCount(value.generation) &&
    (value.generation as number) > 0 &&
    (!('stopReason' in value) || STOP_REASONS.has(value.stopReason)) &&
    (!('nonce' in value) || (typeof value.nonce === 'string' && NONCE.test(value.nonce))) &&
    (!('trace' in value) || isUsualTrace(value.trace))
  );
}

function isUsualUsage(value: unknown): boolean {
  if (!isFields(value)) return false;
  for (const agent in value) {
    const usage = value[agent];
    if (!isFields(usage)) return false;
    let keys = 0;
    for (const key in usage) {
      keys += 1;
      if (!(USAGE_KEYS as readonly string[]).includes(key)) return false;
    }
    if (keys !== USAGE_KEYS.length || !USAGE_KEYS.every((key) => isCount(usage[key]))) return false;
  }
  return true;
}

function isUsualError(value: unknown): boolean {
  if (!isFields(value) || typeof value.code !== 'string' || typeof value.message !== 'string') return false;
  let keys = 0;
  for (const _key in value) keys += 1;
  return keys === 2;
}

function isUsualOutput(value: unknown): value is RunOutput {
  return (
    isFields(value) &&
    onlyKeys(value, OUTPUT_KEYS) &&
    typeof value.runId === 'string' &&
    typeof value.workflow === 'string' &&
    RUN_STATES.has(value.state) &&
    STOP_REASONS.has(value.stopReason) &&
    isCount(value.turns) &&
    isUsualUsage(value.usage) &&
    (!('error' in value) || isUsualError(value.error))
  );
}

/**
 * The run's custom status if it is one (`RunStatusSchema`), else undefined. A value the orchestrator
 * wrote is returned as it is (it has the schema's fields only, each of its type): it is the
 * status read's own parsed JSON, not shared.
 */
export function readRunStatus(customStatus: unknown): RunStatus | undefined {
  if (isUsualStatus(customStatus)) return customStatus;
  const parsed = RunStatusSchema.safeParse(customStatus);
  return parsed.success ? parsed.data : undefined;
}

/** The run's output if it is one (`RunOutputSchema`, which drops the fields of earlier builds), else undefined. */
export function readRunOutput(output: unknown): RunOutput | undefined {
  if (isUsualOutput(output)) return output;
  const parsed = RunOutputSchema.safeParse(output);
  return parsed.success ? parsed.data : undefined;
}
