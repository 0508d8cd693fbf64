/**
 * The `OrchestratorState` durable-functions returns from an orchestrator invocation, and the
 * actions inside it (`actions/ActionType.js`, the extension's `AsyncActionType`).
 */
import { z } from 'zod';

/** Action type numbers. */
export const ActionType = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSubOrchestrator: 2,
  CallSubOrchestratorWithRetry: 3,
  ContinueAsNew: 4,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
  CallEntity: 7,
  CallHttp: 8,
  SignalEntity: 9,
  ScheduledSignalEntity: 10,
  WhenAny: 11,
  WhenAll: 12,
  LockEntities: 13,
  ReleaseEntities: 14,
} as const;

/** Retry options as the JS `RetryOptions` serializes them (optional keys only when set). */
export const RetryOptionsJsonSchema = z.object({
  firstRetryIntervalInMilliseconds: z.number(),
  maxNumberOfAttempts: z.number().int(),
  backoffCoefficient: z.number().optional(),
  maxRetryIntervalInMilliseconds: z.number().optional(),
  retryTimeoutInMilliseconds: z.number().optional(),
});
/** Retry options of a CallActivityWithRetry action. */
export type RetryOptionsJson = z.infer<typeof RetryOptionsJsonSchema>;

/** One action of the state; compound actions nest. Fields the emulator does not read stay untyped. */
export type OrchestratorAction =
  | { actionType: typeof ActionType.CallActivity; functionName: string; input?: unknown }
  | {
      actionType: typeof ActionType.CallActivityWithRetry;
      functionName: string;
      retryOptions: RetryOptionsJson;
      input?: unknown;
    }
  | { actionType: typeof ActionType.ContinueAsNew; input?: unknown }
  | { actionType: typeof ActionType.CreateTimer; fireAt: string; isCanceled: boolean }
  | { actionType: typeof ActionType.WaitForExternalEvent; externalEventName: string }
  | {
      actionType: typeof ActionType.WhenAny | typeof ActionType.WhenAll;
      compoundActions: OrchestratorAction[];
    }
  | { actionType: UnsupportedActionType; [key: string]: unknown };

/** Action types the local host does not emulate (sub-orchestrations, entities, durable HTTP). */
export type UnsupportedActionType =
  | typeof ActionType.CallSubOrchestrator
  | typeof ActionType.CallSubOrchestratorWithRetry
  | typeof ActionType.CallEntity
  | typeof ActionType.CallHttp
  | typeof ActionType.SignalEntity
  | typeof ActionType.ScheduledSignalEntity
  | typeof ActionType.LockEntities
  | typeof ActionType.ReleaseEntities;

const unsupported = [2, 3, 7, 8, 9, 10, 13, 14] as const;

/** Schema of one action (recursive through compound actions). */
export const OrchestratorActionSchema: z.ZodType<OrchestratorAction> = z.lazy(() =>
  z.union([
    z.object({ actionType: z.literal(0), functionName: z.string(), input: z.unknown().optional() }),
    z.object({
      actionType: z.literal(1),
      functionName: z.string(),
      retryOptions: RetryOptionsJsonSchema,
      input: z.unknown().optional(),
    }),
    z.object({ actionType: z.literal(4), input: z.unknown().optional() }),
    z.object({ actionType: z.literal(5), fireAt: z.string(), isCanceled: z.boolean() }),
    z.object({ actionType: z.literal(6), externalEventName: z.string() }),
    z.object({
      actionType: z.union([z.literal(11), z.literal(12)]),
      compoundActions: z.array(OrchestratorActionSchema),
    }),
    z.object({ actionType: z.union(unsupported.map((n) => z.literal(n))) }).loose(),
  ]),
);

/** Schema of the whole state. */
export const OrchestratorStateSchema = z.object({
  isDone: z.boolean(),
  actions: z.array(z.array(OrchestratorActionSchema)),
  output: z.unknown().optional(),
  error: z.string().optional(),
  customStatus: z.unknown().optional(),
  schemaVersion: z.number().int(),
  failureDetails: z.unknown().optional(),
});

/** What an orchestrator invocation returned. */
export type OrchestratorState = z.infer<typeof OrchestratorStateSchema>;

type Json = Record<string, unknown>;

/** Thrown (and caught) when a state is not of the usual shape: the schema decides then. */
const UNUSUAL = new Error('An orchestrator state of an unusual shape.');

function object(value: unknown): Json {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Json;
  throw UNUSUAL;
}

function list(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  throw UNUSUAL;
}

function string(value: unknown): string {
  if (typeof value === 'string') return value;
  throw UNUSUAL;
}

function finite(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw UNUSUAL;
}

function integer(value: unknown): number {
  if (Number.isSafeInteger(value)) return value as number;
  throw UNUSUAL;
}

function boolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  throw UNUSUAL;
}

/** Sets `key` when the input had it: the schema leaves absent optional keys absent. */
function put(out: Json, key: string, value: unknown): void {
  if (value !== undefined) out[key] = value;
}

function retryOptions(value: unknown): RetryOptionsJson {
  const options = object(value);
  const out: Json = {
    firstRetryIntervalInMilliseconds: finite(options.firstRetryIntervalInMilliseconds),
    maxNumberOfAttempts: integer(options.maxNumberOfAttempts),
  };
  for (const key of [
    'backoffCoefficient',
    'maxRetryIntervalInMilliseconds',
    'retryTimeoutInMilliseconds',
  ] as const) {
    if (options[key] !== undefined) out[key] = finite(options[key]);
  }
  return out as RetryOptionsJson;
}

/** An action of the emulated kinds as the schema returns it (its fields only); throws {@link UNUSUAL} otherwise. */
function action(value: unknown): OrchestratorAction {
  const raw = object(value);
  const out: Json = { actionType: raw.actionType };
  switch (raw.actionType) {
    case ActionType.CallActivity:
      out.functionName = string(raw.functionName);
      put(out, 'input', raw.input);
      break;
    case ActionType.CallActivityWithRetry:
      out.functionName = string(raw.functionName);
      out.retryOptions = retryOptions(raw.retryOptions);
      put(out, 'input', raw.input);
      break;
    case ActionType.ContinueAsNew:
      put(out, 'input', raw.input);
      break;
    case ActionType.CreateTimer:
      out.fireAt = string(raw.fireAt);
      out.isCanceled = boolean(raw.isCanceled);
      break;
    case ActionType.WaitForExternalEvent:
      out.externalEventName = string(raw.externalEventName);
      break;
    case ActionType.WhenAny:
    case ActionType.WhenAll:
      out.compoundActions = list(raw.compoundActions).map(action);
      break;
    default:
      throw UNUSUAL;
  }
  return out as OrchestratorAction;
}

/** The state as the schema returns it, read by hand; throws {@link UNUSUAL} otherwise. */
function usualState(value: unknown): OrchestratorState {
  const raw = object(value);
  const out: Json = {
    isDone: boolean(raw.isDone),
    actions: list(raw.actions).map((step) => list(step).map(action)),
  };
  put(out, 'output', raw.output);
  if (raw.error !== undefined) out.error = string(raw.error);
  put(out, 'customStatus', raw.customStatus);
  out.schemaVersion = integer(raw.schemaVersion);
  put(out, 'failureDetails', raw.failureDetails);
  return out as OrchestratorState;
}

/**
 * `value` as an {@link OrchestratorState}, or the schema's issues. A state is checked on every
 * episode, so the usual shape (actions of the emulated kinds) is read by hand, its fields checked
 * and the others dropped as the schema drops them; anything else goes to the schema, which decides
 * and words the issue.
 */
export function parseOrchestratorState(value: unknown): ReturnType<typeof OrchestratorStateSchema.safeParse> {
  try {
    return { success: true, data: usualState(value) };
  } catch (error) {
    if (error !== UNUSUAL) throw error;
  }
  return OrchestratorStateSchema.safeParse(value);
}
